package io.drydock.dax;

import io.drydock.kernel.bus.MemoryMap;
import io.drydock.kernel.metrics.MetricsRegistry;
import io.drydock.virtiofs.fuse.dax.DaxRegion;
import io.drydock.virtiofs.fuse.dax.DaxWindowFactory;
import org.pf4j.Extension;

import java.io.IOException;

/**
 * Makes {@link DaxWindowEngine}s for {@code virtioFs ..., dax: SIZE}. A PF4J extension: plugin-virtiofs finds it
 * through the machine's extension lookup ({@link DaxWindowFactory#find}).
 */
@Extension
public final class DaxFactory implements DaxWindowFactory {
    @Override
    public DaxRegion create(String tag, long size, int mapAlignment, MemoryMap memoryMap, MetricsRegistry metrics) throws IOException {
        return new DaxWindowEngine(tag, size, mapAlignment, memoryMap, metrics);
    }
}
