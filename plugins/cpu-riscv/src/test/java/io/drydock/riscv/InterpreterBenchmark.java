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
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Interpreter throughput on the guest benchmark (guest/bench.elf): each operation is one guest
 * instruction, so the score in ops/µs is guest MIPS. One hart on bare RAM (the UART writes at the end are
 * not reached within an invocation). Run with scripts/jmh-cpu.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class InterpreterBenchmark {
    static final int CHUNK = 1_000_000;

    @Param({"guest/bench.elf"})
    public String elf;

    SystemBus bus;
    Hart hart;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        bus = new SystemBus(new MetricsRegistry());
        bus.addRam("dram", 0x8000_0000L, MemoryBacking.anonymous(64 << 20));
        ElfLoader.load(ElfImage.read(Path.of(elf)), bus.memory());
        hart = new Hart(0, bus, () -> 0);
        hart.mstatus |= Csr.FS_DIRTY;
    }

    @TearDown(Level.Trial)
    public void tearDown() { bus.closeAll(); }

    @Benchmark
    @OperationsPerInvocation(CHUNK)
    public long run() {
        return hart.step(CHUNK);
    }
}
