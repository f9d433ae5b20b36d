package io.drydock.riscv.virt;

import io.drydock.kernel.fdt.DeviceTreeContributor;
import io.drydock.kernel.irq.InterruptController;
import io.drydock.kernel.machine.Machine;
import io.drydock.kernel.machine.MachineSpec;
import io.drydock.kernel.machine.Options;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The DSL word as the shell uses it: {@code machine { riscv harts: 2; kernel 'x.elf' }.boot()}. */
class RiscvWordTest {
    @Test
    void buildsBootsAndOffersThePlic() {
        var part = new RiscvWord().create(new Options("riscv", Map.of("harts", 2)), List.of());
        MachineSpec spec = new MachineSpec().kernel(Path.of("guest/hello.elf")).bootargs("console=ttyS0").add(part);
        try (Machine m = spec.build()) {
            assertEquals(2, m.cpus().size());
            InterruptController plic = m.services().find(InterruptController.class).orElseThrow();
            assertEquals(96, plic.sources());
            assertEquals(0, m.run(Duration.ofSeconds(30)).exitCode());
            assertEquals("hello from rv64\n", m.console().output());
            // the device tree at a1 carries the command line and the ISA string
            long fdt = 0x87e0_0000L;
            assertEquals(0xd00dfeedL, Integer.reverseBytes(m.memory().read32(fdt)) & 0xffff_ffffL);
            byte[] blob = new byte[4096];
            m.memory().read(fdt, blob);
            String text = new String(blob, java.nio.charset.StandardCharsets.ISO_8859_1);
            assertTrue(text.contains("console=ttyS0"));
            assertTrue(text.contains("rv64imafdc_zicsr_zifencei"));
        }
    }

    @Test
    void contributorsAddTheirNodes() {
        MachineSpec spec = new MachineSpec().kernel(Path.of("guest/hello.elf")).add(new VirtBoard(1));
        spec.add(new io.drydock.kernel.machine.MachinePart() {
            @Override public Phase phase() { return Phase.BUS; }
            @Override public String describe() { return "test contributor"; }
            @Override public void assemble(io.drydock.kernel.machine.MachineAssembly a) {
                a.services().add(DeviceTreeContributor.class, (fdt, irq) -> fdt.find("/soc").child("pci@30000000").prop("compatible", "pci-host-ecam-generic"));
            }
        });
        try (Machine m = spec.build()) {
            m.start();
            m.waitForExit(Duration.ofSeconds(30));
            byte[] blob = new byte[8192];
            m.memory().read(0x87e0_0000L, blob);
            assertTrue(new String(blob, java.nio.charset.StandardCharsets.ISO_8859_1).contains("pci-host-ecam-generic"));
        }
    }

    @Test
    void rejectsUnknownOptions() {
        assertThrows(IllegalArgumentException.class, () -> new RiscvWord().create(new Options("riscv", Map.of("hart", 2)), List.of()));
        assertThrows(IllegalArgumentException.class, () -> new RiscvWord().create(new Options("riscv", Map.of("harts", 0)), List.of()));
    }
}
