package io.drydock.riscv;

import io.drydock.kernel.bus.SystemBus;
import io.drydock.kernel.elf.ElfImage;
import io.drydock.kernel.elf.ElfLoader;
import io.drydock.kernel.memory.MemoryBacking;
import io.drydock.kernel.metrics.MetricsRegistry;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The translator's own cost: the time to translate one block (bytecode generation and hidden-class
 * definition; not HotSpot's later compilation of it), over the blocks a suite program really makes hot. Setup
 * runs the guest until its hot blocks are translated and records where they start; each operation translates
 * the next of them again. Score: µs per block (the setup prints how many blocks and their mean length).
 * Run with {@code scripts/jmh-cpu TranslatorBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class TranslatorBenchmark {
    @Param({"guest/bench.elf", "guest/interp.elf", "guest/fp.elf"})
    public String elf;

    SystemBus bus;
    Hart hart;
    long[] starts;
    int next;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        bus = new SystemBus(new MetricsRegistry());
        bus.addRam("dram", 0x8000_0000L, MemoryBacking.anonymous(64 << 20));
        ElfImage image = ElfImage.read(Path.of(elf));
        ElfLoader.load(image, bus.memory());
        hart = new Hart(0, bus, () -> 0);
        hart.mstatus |= Csr.FS_DIRTY;
        hart.step(20_000_000);
        List<Long> found = new ArrayList<>();
        long instructions = 0;
        for (long page = 0x8000_0000L; page < 0x8000_0000L + (1 << 16); page += 4096) {
            CodePage cp = hart.mmu.codePage(page);
            for (int slot = 0; slot < cp.blocks.length; slot++) {
                if (cp.blocks[slot] == null) continue;
                found.add(page + 2L * slot);
                instructions += cp.blocks[slot].length;
            }
        }
        if (found.isEmpty()) throw new IllegalStateException(elf + ": no block was translated");
        starts = found.stream().mapToLong(Long::longValue).toArray();
        System.out.printf("%n%s: %d translated blocks, %.1f instructions each on average%n", elf, starts.length,
                (double) instructions / starts.length);
    }

    @TearDown(Level.Trial)
    public void tearDown() { bus.closeAll(); }

    @Benchmark
    public Block translate() {
        long pc = starts[next];
        next = next + 1 == starts.length ? 0 : next + 1;
        return Translator.translate(hart.mmu, hart.mmu.codePage(pc), pc);
    }
}
