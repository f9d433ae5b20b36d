package io.drydock.bench.report;

import groovy.json.JsonSlurper;
import io.drydock.bench.run.Analysis;
import io.drydock.bench.run.BenchResult;
import io.drydock.bench.run.RunRecord;
import io.drydock.bench.run.VariantResult;
import io.drydock.bench.stats.LatencySummary;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class BenchJsonTest {
    @Test
    void roundTripGivesTheSameResult() {
        BenchResult r = Fixtures.threeVariants("json", Map.of("blockSize", 4096L, "mode", "direct"), 1000)
                .withOutputDir(Path.of("build/bench/json-1"));
        String json = BenchJson.write(r);
        BenchResult back = BenchJson.read(json);
        assertEquals(r, back);
        assertEquals(json, BenchJson.write(back));
    }

    @Test
    void statisticsRecomputedFromTheRawRunsMatchTheStoredOnes() {
        BenchResult back = BenchJson.read(BenchJson.write(Fixtures.threeVariants("recompute", Map.of(), 1)));
        Map<String, List<RunRecord>> runs = new LinkedHashMap<>();
        Map<String, LatencySummary> latencies = new LinkedHashMap<>();
        for (VariantResult v : back.variants()) {
            runs.put(v.name(), v.runs());
            latencies.put(v.name(), v.latency());
        }
        assertEquals(back.variants(), Analysis.analyze(runs, latencies));
    }

    @Test
    void schemaFieldsAreThereForOtherReaders() {
        BenchResult r = Fixtures.threeVariants("schema", Map.of(), 1);
        Map<?, ?> m = (Map<?, ?>) new JsonSlurper().parseText(BenchJson.write(r));
        assertEquals(1, m.get("schemaVersion"));
        assertEquals("drydock-bench", m.get("kind"));
        assertEquals(0.95, ((Number) m.get("confidence")).doubleValue());
        Map<?, ?> env = (Map<?, ?>) m.get("environment");
        assertEquals(Runtime.getRuntime().availableProcessors(), env.get("cores"));
        assertEquals(System.getProperty("java.version"), env.get("javaVersion"));
        assertTrue(env.containsKey("gitCommit"));
        List<?> variants = (List<?>) m.get("variants");
        Map<?, ?> read = (Map<?, ?>) variants.get(0);
        assertEquals(Boolean.TRUE, read.get("baseline"));
        assertNull(read.get("wallRatio"));
        assertEquals(6, ((List<?>) read.get("runs")).size());
        Map<?, ?> dax = (Map<?, ?>) variants.get(2);
        Map<?, ?> ratio = (Map<?, ?>) ((Map<?, ?>) dax.get("metricRatios")).get("mmio.exits");
        assertEquals(1.0 / 40, ((Number) ratio.get("geomean")).doubleValue(), 1e-12);
        assertEquals(10, ((Number) ((Map<?, ?>) dax.get("latency")).get("count")).intValue() / 6);
    }

    @Test
    void unknownIntervalsAreNullAndReadBackAsNaN() {
        BenchResult one = BenchJson.read(BenchJson.write(Fixtures.oneRun()));
        assertTrue(Double.isNaN(one.baseline().wall().ciLow()));
        assertTrue(BenchJson.write(one).contains("\"ciLow\": null"));
    }

    @Test
    void otherJsonIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> BenchJson.read("{\"schemaVersion\": 99, \"kind\": \"drydock-bench\"}"));
        assertThrows(IllegalArgumentException.class, () -> BenchJson.read("{\"schemaVersion\": 1, \"kind\": \"other\"}"));
    }

    @Test
    void sweepRoundTrip() {
        List<BenchResult> points = List.of(Fixtures.threeVariants("s", Map.of("n", 1L), 1), Fixtures.threeVariants("s", Map.of("n", 2L), 2));
        assertEquals(points, BenchJson.readSweep(BenchJson.writeSweep("s", List.of("n"), points)));
    }
}
