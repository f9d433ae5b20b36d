package io.drydock.dax;

import io.drydock.kernel.machine.Machine;
import io.drydock.kernel.spi.ScriptBinding;
import io.drydock.kernel.spi.ShellContext;
import io.drydock.virtiofs.fuse.dax.DaxRegion;
import org.pf4j.Extension;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code dax()} / {@code dax(machine)} in scripts: the DAX windows of the current (or given) machine — each
 * window's place, live mappings (window offset, file, file offset, length, flags) and counters; the
 * counters are also in the machine's metrics as {@code dax.TAG.*}. {@code dax(m).windows()} gives the
 * {@link DaxWindowEngine}s themselves ({@code mappings()}, {@code guestBase()}).
 */
@Extension
public final class DaxBinding implements ScriptBinding {
    @Override public Map<String, Object> bindings(ShellContext context) {
        return Map.of("dax", new DaxCall(context));
    }

    @Override public Map<String, String> help() {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("dax", "dax(), dax(machine) — virtio-fs DAX windows: live mappings (window offset, file, offset, length, flags) and counters");
        return out;
    }

    /** The DAX windows of {@code machine}'s virtio-fs devices. */
    public static List<DaxWindowEngine> windows(Machine machine) {
        // every window the virtioFs word made, in-process or served by a vhost-user backend
        return machine.services().all(DaxRegion.class).stream()
                .filter(d -> d instanceof DaxWindowEngine).map(d -> (DaxWindowEngine) d).toList();
    }

    /** {@code dax()} and {@code dax(machine)}. */
    public static final class DaxCall {
        private final ShellContext context;

        DaxCall(ShellContext context) { this.context = context; }

        public Report call() {
            Machine m = context.currentMachine();
            if (m == null) throw new IllegalStateException("no machine: build one first, e.g. m = machine { ...; virtioFs tag: 'fs', dir: 'x', dax: 1.GiB }");
            return call(m);
        }

        public Report call(Machine machine) { return new Report(windows(context.machine(machine))); }

        @Override public String toString() { return call().toString(); }
    }

    /** What {@code dax(...)} returns: printable, and the windows for scripts. */
    public record Report(List<DaxWindowEngine> windows) {
        @Override public String toString() {
            if (windows.isEmpty()) return "(no DAX windows: add dax: SIZE to virtioFs)";
            StringBuilder sb = new StringBuilder();
            for (DaxWindowEngine w : windows) sb.append(w).append('\n');
            return sb.toString();
        }
    }
}
