package io.drydock.benchmarks;

import io.drydock.kernel.memory.GuestMemory;
import io.drydock.kernel.memory.MemoryBacking;
import io.drydock.kernel.memory.RamRegion;
import io.drydock.kernel.memory.Sizes;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The cost of the one checked path into guest memory: {@link GuestMemory#read32}/{@link GuestMemory#write32}
 * over anonymous memory, with 1 region (the common case) or 4 (the region lookup walks them), at an
 * address in the last region.
 */
public class GuestMemoryBenchmark extends AbstractMicrobenchmark {
    private static final long RAM_BASE = 0x8000_0000L;

    @Param({"1", "4"})
    public int regions;

    private final List<MemoryBacking> backings = new ArrayList<>();
    private GuestMemory memory;
    private long addr;
    private int value;

    @Setup
    public void setup() throws IOException {
        GuestMemory.Owner owner = GuestMemory.newOwner();
        List<RamRegion> list = new ArrayList<>();
        for (int i = 0; i < regions; i++) {
            MemoryBacking b = MemoryBacking.anonymous(Sizes.MiB);
            backings.add(b);
            list.add(new RamRegion("ram" + i, RAM_BASE + i * 2 * Sizes.MiB, b));
        }
        owner.setRegions(list);
        memory = owner.memory();
        addr = RAM_BASE + (regions - 1) * 2 * Sizes.MiB + 4096;
        memory.write32(addr, 0x12345678);
    }

    @TearDown
    public void tearDown() throws Exception {
        for (MemoryBacking b : backings) b.close();
    }

    @Benchmark
    public int read32() {
        return memory.read32(addr);
    }

    @Benchmark
    public void write32() {
        memory.write32(addr, value++);
    }
}
