package io.drydock.riscv;

import io.drydock.kernel.machine.Machine;
import io.drydock.kernel.machine.MachineSpec;
import io.drydock.kernel.machine.RunResult;
import io.drydock.riscv.virt.VirtBoard;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The host side of the console with a real guest (guest/echo.c, which echoes its UART input until EOT and
 * exits with the number of lines): piped input ends with EOT so the guest ends, and a prompt without a
 * newline reaches the terminal before any input is given.
 */
class ConsoleEchoTest {
    private static Machine echoGuest() {
        return new MachineSpec().kernel(GuestProgramsTest.GUEST.resolve("echo.elf")).add(new VirtBoard(1)).build();
    }

    @Test
    void pipedInputEndsWithEotAndTheRunEndsWithTheGuestsExitCode() {
        try (Machine m = echoGuest()) {
            ByteArrayOutputStream terminal = new ByteArrayOutputStream();
            m.console().bridge(new ByteArrayInputStream("ls -l /etc\nexit\n".getBytes(StandardCharsets.UTF_8)), terminal);
            RunResult r = m.run(Duration.ofSeconds(60));
            m.console().flush();
            assertEquals(RunResult.Outcome.EXITED, r.outcome(), r.toString());
            assertEquals(2, r.exitCode(), r.toString());
            assertEquals("echo> ls -l /etc\nexit\n\nEOT after 16 bytes, 2 lines\n", terminal.toString(StandardCharsets.UTF_8));
            assertTrue(r.toString().contains("  | EOT after 16 bytes, 2 lines"), r.toString());
        }
    }

    @Test
    void aPromptWithoutNewlineShowsBeforeAnyInput() throws Exception {
        try (Machine m = echoGuest()) {
            PipedOutputStream keyboard = new PipedOutputStream();
            PipedInputStream seen = new PipedInputStream(1 << 16);
            m.console().bridge(new PipedInputStream(keyboard), new PipedOutputStream(seen));
            m.start();
            byte[] prompt = new byte[6];
            int n = 0;
            while (n < prompt.length) n += seen.read(prompt, n, prompt.length - n); // blocks until shown
            assertEquals("echo> ", new String(prompt, StandardCharsets.US_ASCII));
            keyboard.write("hi\n".getBytes(StandardCharsets.US_ASCII));
            keyboard.close(); // end of input: the guest gets EOT
            assertEquals(1, m.waitForExit(Duration.ofSeconds(60)));
        }
    }
}
