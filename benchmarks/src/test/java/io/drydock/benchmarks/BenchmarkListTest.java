package io.drydock.benchmarks;

import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.VerboseMode;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.*;

/** The generated benchmark list: every benchmark is there and inherits the shared base's settings. */
class BenchmarkListTest {
    private final Set<BenchmarkListEntry> all = BenchmarkList.defaultList()
            .getAll(OutputFormatFactory.createFormatInstance(System.out, VerboseMode.SILENT), List.of());

    @Test
    void everyBenchmarkIsGenerated() {
        Set<String> names = all.stream().map(BenchmarkListEntry::getUsername).collect(Collectors.toSet());
        assertTrue(names.containsAll(Set.of(
                "io.drydock.benchmarks.MetricsRegistryBenchmark.counterIncrement",
                "io.drydock.benchmarks.MetricsRegistryBenchmark.snapshot101",
                "io.drydock.benchmarks.GuestMemoryBenchmark.read32",
                "io.drydock.benchmarks.GuestMemoryBenchmark.write32")), names.toString());
    }

    @Test
    void everyBenchmarkInheritsTheBaseSettings() {
        assertFalse(all.isEmpty());
        for (BenchmarkListEntry e : all) {
            assertTrue(e.getForks().hasValue(), e.getUsername() + " has a fork count");
            assertEquals(1, e.getForks().get(), e.getUsername());
            assertEquals(5, e.getWarmupIterations().get(), e.getUsername());
            assertEquals(5, e.getMeasurementIterations().get(), e.getUsername());
            assertTrue(e.getJvmArgsAppend().get().contains("--enable-native-access=ALL-UNNAMED"), e.getUsername());
        }
    }
}
