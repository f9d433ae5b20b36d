package io.drydock.riscv;

import io.drydock.kernel.bus.SystemBus;
import io.drydock.kernel.elf.ElfImage;
import io.drydock.kernel.elf.ElfLoader;
import io.drydock.kernel.memory.MemoryBacking;
import io.drydock.kernel.metrics.MetricsRegistry;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The official riscv-tests rv64 "p" suite, when built locally (their sources and builds stay out of this
 * repository): set RISCV_TESTS_DIR to a directory of ELFs named like rv64ui-p-add (scripts/riscv-tests
 * builds them into /tmp). Each test runs on a bare hart over RAM at 0x80000000 until it writes its
 * `tohost` word: 1 = pass, otherwise (value >> 1) is the failing test number.
 */
class RiscvTestsTest {
    static final long STEP_LIMIT = 10_000_000;

    @TestFactory
    Stream<DynamicTest> rv64p() throws IOException {
        String dir = System.getenv("RISCV_TESTS_DIR");
        Assumptions.assumeTrue(dir != null && Files.isDirectory(Path.of(dir)), "RISCV_TESTS_DIR not set");
        return Files.list(Path.of(dir)).filter(p -> p.getFileName().toString().matches("rv64[a-z]+-p-[a-z0-9_-]+"))
                .sorted().map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> assertEquals(1, run(p))));
    }

    static long run(Path elf) throws Exception {
        SystemBus bus = new SystemBus(new MetricsRegistry());
        try {
            bus.addRam("dram", 0x8000_0000L, MemoryBacking.anonymous(16 << 20));
            ElfImage image = ElfImage.read(elf);
            ElfLoader.load(image, bus.memory());
            long tohost = image.symbol("tohost").value();
            Hart h = new Hart(0, bus, () -> 0);
            for (long n = 0; n < STEP_LIMIT; n += 1000) {
                h.step(1000);
                long v = bus.read(tohost, 8);
                if (v != 0) return v;
            }
            return -1;
        } finally {
            bus.closeAll();
        }
    }
}
