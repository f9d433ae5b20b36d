package io.drydock.riscv;

import io.drydock.kernel.machine.Machine;
import io.drydock.kernel.machine.MachineSpec;
import io.drydock.riscv.virt.VirtBoard;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The benchmark suite's programs (guest/suite.h, run at length by scripts/bench-cpu) in their tiny form — one
 * warm-up and two timed rounds — on Drydock and on QEMU: the checksum lines must be equal. The timing lines
 * differ by nature and are only checked for presence.
 */
class SuiteChecksumTest {
    static final List<String> SUITE = List.of("int:bench", "mark:mark", "interp:interp", "mem:mem", "fp:fp", "sys:sys");
    static final String TINY = "suite.warm=1 suite.rounds=2";

    static String checksum(String name, String output) {
        Matcher m = Pattern.compile("(?m)^" + name + " checksum ([0-9a-f]{16})$").matcher(output);
        assertTrue(m.find(), output);
        assertTrue(Pattern.compile("(?m)^" + name + " steady ticks \\d+ instructions \\d+$").matcher(output).find(), output);
        return m.group(1);
    }

    @TestFactory
    Stream<DynamicTest> tinySuiteMatchesQemu() {
        return SUITE.stream().map(s -> s.split(":")).filter(s -> Files.exists(elf(s[1])))
                .map(s -> DynamicTest.dynamicTest(s[0], () -> {
                    Path elf = elf(s[1]);
                    String dd;
                    try (Machine m = new MachineSpec().kernel(elf).bootargs(TINY).add(new VirtBoard(1)).build()) {
                        int code = m.run(Duration.ofSeconds(120)).exitCode();
                        m.stop();
                        dd = m.console().output();
                        assertEquals(0, code, dd);
                    }
                    String sum = checksum(s[0], dd);
                    Assumptions.assumeTrue(Files.isExecutable(GuestProgramsTest.QEMU), "qemu-system-riscv64 not installed");
                    Process p = new ProcessBuilder("timeout", "60", GuestProgramsTest.QEMU.toString(), "-M", "virt", "-bios", "none",
                            "-kernel", elf.toString(), "-append", TINY, "-nographic").redirectErrorStream(true).start();
                    p.getOutputStream().close();
                    String q = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).replace("\r\n", "\n");
                    assertTrue(p.waitFor(90, TimeUnit.SECONDS));
                    assertEquals(0, p.exitValue(), q);
                    assertEquals(checksum(s[0], q), sum, "Drydock's checksum differs from QEMU's");
                }));
    }

    static Path elf(String name) { return GuestProgramsTest.GUEST.resolve(name + ".elf"); }
}
