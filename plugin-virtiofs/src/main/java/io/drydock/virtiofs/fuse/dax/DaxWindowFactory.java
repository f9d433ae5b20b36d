package io.drydock.virtiofs.fuse.dax;

import io.drydock.kernel.bus.MemoryMap;
import io.drydock.kernel.metrics.MetricsRegistry;
import org.pf4j.ExtensionPoint;

import java.io.IOException;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Makes DAX windows; implemented by plugin-dax, which plugin-virtiofs does not depend on. How the
 * {@code virtioFs ..., dax: SIZE} word finds it ({@link #find}):
 * <ol>
 *   <li>the factory {@link #register registered} by plugin-dax's PF4J plugin class when the shell starts the
 *       plugin (PF4J plugin loaders only see their dependencies, so plugin-virtiofs cannot look plugin-dax up;
 *       plugin-dax, which sees plugin-virtiofs, announces itself instead);</li>
 *   <li>otherwise a {@link ServiceLoader} provider on plugin-virtiofs's own class path (tests, a flat class
 *       path).</li>
 * </ol>
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

    /** Announces {@code factory} (plugin start). */
    static void register(DaxWindowFactory factory) { Registry.CURRENT.set(factory); }

    /** Withdraws {@code factory} if it is the registered one (plugin stop). */
    static void unregister(DaxWindowFactory factory) { Registry.CURRENT.compareAndSet(factory, null); }

    /** The registered factory, else the first ServiceLoader provider, else empty (plugin-dax is not loaded). */
    static Optional<DaxWindowFactory> find() {
        DaxWindowFactory f = Registry.CURRENT.get();
        if (f != null) return Optional.of(f);
        return ServiceLoader.load(DaxWindowFactory.class, DaxWindowFactory.class.getClassLoader()).findFirst();
    }

    /** Holder of the registered factory. */
    final class Registry {
        private Registry() {}
        private static final AtomicReference<DaxWindowFactory> CURRENT = new AtomicReference<>();
    }
}
