package io.drydock.benchmarks;

import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The base of every Drydock JMH benchmark (after Netty's microbench AbstractMicrobenchmark): one fork with
 * the JVM flags the kernel needs, 5 warm-up and 5 measurement iterations of 1 s, average time in ns.
 * JMH inherits these class annotations; a subclass overrides one by annotating itself or a method, and
 * the command line ({@code scripts/jmh Regex -f 3 -wi 10}) overrides both.
 *
 * <p>To add a benchmark: a public class in this package (or a subpackage) extending this one, with
 * {@code @Benchmark} methods and {@code @State} fields; add the module it measures to this module's pom.
 */
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow", "-XX:+UseParallelGC", "-Xms1g", "-Xmx1g"})
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public abstract class AbstractMicrobenchmark {
    /** A new temporary directory holding {@code name}: {@code size} random bytes (seed 1), for file-system benchmarks. */
    protected static Path directoryWithFile(String prefix, String name, int size) throws IOException {
        Path dir = Files.createTempDirectory(prefix);
        byte[] data = new byte[size];
        new Random(1).nextBytes(data);
        Files.write(dir.resolve(name), data);
        return dir;
    }

    /** Deletes {@code dir} and everything under it. */
    protected static void deleteTree(Path dir) throws IOException {
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
