package io.drydock.virtiofs.fuse.dax;

import io.drydock.kernel.bus.MemoryMap;
import io.drydock.kernel.machine.MachineAssembly;
import io.drydock.kernel.metrics.MetricsRegistry;
import org.pf4j.ExtensionPoint;

import java.io.IOException;
import java.util.Optional;

/**
 * Makes DAX windows: an extension point plugin-virtiofs defines and plugin-dax implements (plugin-virtiofs does
 * not depend on plugin-dax). The {@code virtioFs ..., dax: SIZE} word finds the implementation through the
 * machine's own extension lookup, {@link #find(MachineAssembly)} — PF4J's, behind the kernel's
 * {@link io.drydock.kernel.machine.Extensions} — like every other plugin part; there is no JVM-global registry.
 */
public interface DaxWindowFactory extends ExtensionPoint {
    /**
     * A window of {@code size} bytes for the device tagged {@code tag}: reserved host memory reading as zero,
     * placed later through {@code memoryMap} (the provider side, which the device itself never gets), with
     * its counters in {@code metrics} under {@code dax.TAG.*}. Called on the assembling thread.
     *
     * @param mapAlignment log2 of the mapping alignment the FUSE server advertises in INIT
     */
    DaxRegion create(String tag, long size, int mapAlignment, MemoryMap memoryMap, MetricsRegistry metrics) throws IOException;

    /** The first factory among the machine's extensions; empty when plugin-dax is not loaded. */
    static Optional<DaxWindowFactory> find(MachineAssembly assembly) {
        return assembly.extensions().all(DaxWindowFactory.class).stream().findFirst();
    }
}
