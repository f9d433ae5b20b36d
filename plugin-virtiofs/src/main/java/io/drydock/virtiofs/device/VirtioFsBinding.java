package io.drydock.virtiofs.device;

import io.drydock.kernel.machine.Machine;
import io.drydock.kernel.spi.ScriptBinding;
import io.drydock.kernel.spi.ShellContext;
import org.pf4j.Extension;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Script names for the virtio-fs devices of the current machine: {@code virtiofs()} lists them;
 * {@code fuseTrace(true)} switches the live FUSE trace on (each request printed as it completes: opcode,
 * unique, nodeid, sizes, result, latency), {@code fuseTrace(false)} off, and {@code fuseTrace()} returns
 * the lines kept so far. Each takes a machine first ({@code virtiofs(m2)}, {@code fuseTrace(m2, true)}) for
 * another than the current one. Per-opcode counts and latency histograms are in {@code :metrics fuse}.
 */
@Extension
public final class VirtioFsBinding implements ScriptBinding {
    @Override public Map<String, Object> bindings(ShellContext context) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("virtiofs", new DevicesCall(context));
        out.put("fuseTrace", new TraceCall(context));
        return out;
    }

    @Override public Map<String, String> help() {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("virtiofs", "virtiofs([m]) — the current (or given) machine's virtio-fs devices (tag, directory, options, state)");
        out.put("fuseTrace", "fuseTrace([m,] true|false) — live FUSE trace on or off; fuseTrace([m]) — the lines kept (last "
                + FuseTrace.CAPACITY + ")");
        return out;
    }

    private static List<VirtioFsDevice> devices(ShellContext context, Machine given) {
        Machine m = given != null ? context.machine(given) : context.currentMachine();
        if (m == null) throw new IllegalStateException("no machine: build one first, e.g. m = machine { riscv; pci; virtioFs ... }");
        List<VirtioFsDevice> all = m.services().all(VirtioFsDevice.class);
        if (all.isEmpty()) throw new IllegalStateException("machine '" + m.name() + "' has no virtio-fs device: add virtioFs tag: ..., dir: ...");
        return all;
    }

    /** {@code virtiofs()}. */
    public static final class DevicesCall {
        private final ShellContext context;

        DevicesCall(ShellContext context) { this.context = context; }

        public List<VirtioFsDevice> call() { return devices(context, null); }

        public List<VirtioFsDevice> call(Machine m) { return devices(context, m); }

        @Override public String toString() { return String.valueOf(call()); }
    }

    /** {@code fuseTrace()}, {@code fuseTrace(on)}. */
    public static final class TraceCall {
        private final ShellContext context;

        TraceCall(ShellContext context) { this.context = context; }

        public String call(boolean on) { return call(null, on); }

        public String call(Machine m, boolean on) {
            PrintWriter out = context.out();
            for (VirtioFsDevice d : devices(context, m)) {
                if (on) {
                    String tag = d.config().tag();
                    d.trace().follow(line -> {
                        out.println("fuse[" + tag + "] " + line);
                        out.flush();
                    });
                    d.trace().on();
                } else {
                    d.trace().off();
                    d.trace().follow(null);
                }
            }
            return "FUSE trace " + (on ? "on" : "off");
        }

        public String call() { return call((Machine) null); }

        public String call(Machine m) {
            StringBuilder sb = new StringBuilder();
            for (VirtioFsDevice d : devices(context, m)) {
                for (String l : d.trace().lines()) sb.append("fuse[").append(d.config().tag()).append("] ").append(l).append('\n');
            }
            return sb.toString();
        }

        @Override public String toString() { return call(); }
    }
}
