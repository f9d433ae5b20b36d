package io.drydock.pci;

import io.drydock.kernel.machine.Machine;
import io.drydock.kernel.machine.MachineSpec;
import io.drydock.kernel.spi.ShellContext;
import io.drydock.kernel.testing.EchoDevice;
import io.drydock.kernel.testing.TestBoard;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** lspci() and virtio() as a script sees them. */
class PciBindingTest {
    private record Context(Machine machine) implements ShellContext {
        public PrintWriter out() { return new PrintWriter(new StringWriter()); }
        public PrintWriter err() { return out(); }
        public boolean interactive() { return false; }
        public Object variable(String name) { return null; }
        public void setVariable(String name, Object value) {}
        public List<Machine> machines() { return List.of(machine); }
        public Machine currentMachine() { return machine; }
        public <T> List<T> extensions(Class<T> type) { return List.of(); }
    }

    @Test void printsTheTreeAndTheDevices() {
        try (Machine m = new MachineSpec().memory(32L << 20).add(new TestBoard()).add(new PciPart(false, false))
                .add(new VirtioMmioWord.Part(VirtioMmioWord.DEFAULT_SHM_BASE))
                .add(new EchoPart(new EchoDevice(), "pci", OptionalInt.empty()))
                .add(new EchoPart(new EchoDevice(), "mmio", OptionalInt.empty())).build()) {
            var b = new PciBinding().bindings(new Context(m));
            String lspci = ((PciBinding.LspciCall) b.get("lspci")).call();
            assertTrue(lspci.startsWith("00:00.0 Host bridge [0600]: Red Hat, Inc. QEMU PCIe Host bridge [1b36:0008]"), lspci);
            assertTrue(lspci.contains("00:01.0 Unclassified device [00ff]"), lspci);
            assertTrue(lspci.contains("Region 4: Memory at <unassigned> (64-bit, prefetchable) [size=16K]"), lspci);
            PciBinding.VirtioCall virtio = (PciBinding.VirtioCall) b.get("virtio");
            String all = virtio.call();
            assertTrue(all.contains("pci 00:01.0: echo (device id 4): status 0x00 reset, inactive"), all);
            assertTrue(all.contains("mmio 0x10008000 irq 8: echo-2"), all);
            assertTrue(virtio.call("echo-2").startsWith("mmio 0x10008000 irq 8"));
            assertThrows(IllegalArgumentException.class, () -> virtio.call("nope"));
            assertEquals(2, new PciBinding().help().size());
        }
    }

    private record TwoMachines(Machine current, Machine other) implements ShellContext {
        public PrintWriter out() { return new PrintWriter(new StringWriter()); }
        public PrintWriter err() { return out(); }
        public boolean interactive() { return false; }
        public Object variable(String name) { return null; }
        public void setVariable(String name, Object value) {}
        public List<Machine> machines() { return List.of(current, other); }
        public Machine currentMachine() { return current; }
        public <T> List<T> extensions(Class<T> type) { return List.of(); }
    }

    @Test void takesAMachineOtherThanTheCurrentOne() {
        try (Machine plain = new MachineSpec().name("plain").memory(32L << 20).add(new TestBoard()).build();
             Machine withPci = new MachineSpec().name("withpci").memory(32L << 20).add(new TestBoard()).add(new PciPart(false, false))
                     .add(new EchoPart(new EchoDevice(), "pci", OptionalInt.empty())).build()) {
            var b = new PciBinding().bindings(new TwoMachines(plain, withPci));
            PciBinding.LspciCall lspci = (PciBinding.LspciCall) b.get("lspci");
            assertEquals("(machine 'plain' has no PCI host: add 'pci')\n", lspci.call());
            assertTrue(lspci.call(withPci).startsWith("00:00.0 Host bridge"), lspci.call(withPci));
            PciBinding.VirtioCall virtio = (PciBinding.VirtioCall) b.get("virtio");
            assertEquals("(no virtio devices)\n", virtio.call());
            assertTrue(virtio.call(withPci).contains("pci 00:01.0: echo"), virtio.call(withPci));
            assertTrue(virtio.call(withPci, "echo").startsWith("pci 00:01.0"));
        }
    }
}
