package io.drydock.pci;

import io.drydock.kernel.machine.Machine;
import io.drydock.kernel.spi.ScriptBinding;
import io.drydock.kernel.spi.ShellContext;
import io.drydock.kernel.virtio.VirtioTransport;
import org.pf4j.Extension;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Script names for inspecting the current machine's buses: {@code lspci()} prints the PCI tree
 * ({@code lspci -vv} style), {@code virtio()} every virtio device's status, features and queues, and
 * {@code virtio('echo')} one of them. Both return the text (the shell prints it), and both take a machine
 * first ({@code lspci(m2)}, {@code virtio(m2, 'echo')}) for another than the current one.
 */
@Extension
public final class PciBinding implements ScriptBinding {
    @Override public Map<String, Object> bindings(ShellContext context) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("lspci", new LspciCall(context));
        out.put("virtio", new VirtioCall(context));
        return out;
    }

    @Override public Map<String, String> help() {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("lspci", "lspci(), lspci(m) — the current (or given) machine's PCI functions, BARs and capabilities (lspci -vv style)");
        out.put("virtio", "virtio([m]), virtio([m,] 'name') — virtio devices: status, negotiated features, each queue's state");
        return out;
    }

    private static Machine machine(ShellContext context, Machine given) {
        if (given != null) return context.machine(given);
        Machine m = context.currentMachine();
        if (m == null) throw new IllegalStateException("no machine: build one first, e.g. m = machine { riscv; pci; ... }");
        return m;
    }

    /** {@code lspci()}. */
    public static final class LspciCall {
        private final ShellContext context;

        LspciCall(ShellContext context) { this.context = context; }

        public String call() { return call((Machine) null); }

        public String call(Machine m) {
            return machine(context, m).services().find(PciHost.class).map(PciHost::toString)
                    .orElse("(machine '" + machine(context, m).name() + "' has no PCI host: add 'pci')\n");
        }

        @Override public String toString() { return call(); }
    }

    /** {@code virtio()} and {@code virtio(name)}. */
    public static final class VirtioCall {
        private final ShellContext context;

        VirtioCall(ShellContext context) { this.context = context; }

        public String call() { return call((Machine) null); }

        public String call(String name) { return call(null, name); }

        public String call(Machine m) {
            List<VirtioTransport> all = machine(context, m).services().all(VirtioTransport.class);
            if (all.isEmpty()) return "(no virtio devices)\n";
            StringBuilder sb = new StringBuilder();
            for (VirtioTransport t : all) sb.append(t.kind()).append(' ').append(t.location()).append(": ").append(t.inspect());
            return sb.toString();
        }

        public String call(Machine m, String name) {
            for (VirtioTransport t : machine(context, m).services().all(VirtioTransport.class)) {
                if (t.inspect().name().equals(name)) return t.kind() + " " + t.location() + ": " + t.inspect();
            }
            throw new IllegalArgumentException("no virtio device '" + name + "'");
        }

        @Override public String toString() { return call(); }
    }
}
