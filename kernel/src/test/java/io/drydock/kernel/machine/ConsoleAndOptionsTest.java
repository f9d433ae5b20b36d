package io.drydock.kernel.machine;

import io.drydock.kernel.memory.Sizes;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;


class ConsoleAndOptionsTest {
    private static void guestPrints(MachineConsole c, String s) {
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) c.guestWrite(b);
    }

    @Test
    void waitForSeesOutputWrittenLater() throws Exception {
        MachineConsole c = new MachineConsole();
        Thread guest = Thread.ofPlatform().start(() -> {
            try { Thread.sleep(30); } catch (InterruptedException e) { return; }
            guestPrints(c, "booting...\nlogin: ");
        });
        assertEquals("login: ", c.waitFor("login: ", Duration.ofSeconds(10)));
        guest.join();
        assertEquals("booting...\nlogin: ", c.output());
    }

    @Test
    void waitForTimesOutShowingTheTail() {
        MachineConsole c = new MachineConsole();
        guestPrints(c, "line1\nline2\npanic: cause 2\n");
        var e = assertThrows(MachineException.class, () -> c.waitFor("\\$ $", Duration.ofMillis(20)));
        assertTrue(e.getMessage().contains("panic: cause 2"), e.getMessage());
    }

    @Test
    void sentInputReachesTheGuestAndWakesTheUart() {
        MachineConsole c = new MachineConsole();
        AtomicInteger wakeups = new AtomicInteger();
        c.onGuestInput(wakeups::incrementAndGet);
        assertFalse(c.guestHasInput());
        assertEquals(-1, c.guestRead());
        c.send("ls\n");
        assertEquals(1, wakeups.get());
        assertTrue(c.guestHasInput());
        assertEquals('l', c.guestRead());
        assertEquals('s', c.guestRead());
        assertEquals('\n', c.guestRead());
        assertEquals(-1, c.guestRead());
    }

    @Test
    void bridgeEchoesOutputAsWrittenAndEndsInputWithEot() throws Exception {
        MachineConsole c = new MachineConsole();
        ByteArrayOutputStream terminal = new ByteArrayOutputStream();
        Thread t = c.bridge(new ByteArrayInputStream("typed".getBytes()), terminal);
        t.join(5000);
        guestPrints(c, "login: "); // a prompt: no newline, must show anyway
        c.flush();
        assertEquals("login: ", terminal.toString());
        StringBuilder got = new StringBuilder();
        for (int b; (b = c.guestRead()) >= 0; ) got.append((char) b);
        assertEquals("typed\u0004\u0004", got.toString(),
                "input ending in a partial line: one EOT hands the line over, the second is end of file");
    }

    @Test
    void inputEndingWithALineEndsWithOneEot() throws Exception {
        MachineConsole c = new MachineConsole();
        c.bridge(new ByteArrayInputStream("ls\nexit\n".getBytes()), new ByteArrayOutputStream()).join(5000);
        StringBuilder got = new StringBuilder();
        for (int b; (b = c.guestRead()) >= 0; ) got.append((char) b);
        assertEquals("ls\nexit\n\u0004", got.toString(), "a ^D at the start of a line is end of file by itself");
    }

    @Test
    void echoShowsAPromptWithoutNewlineWithoutAFlushCall() throws Exception {
        MachineConsole c = new MachineConsole();
        java.io.PipedInputStream seen = new java.io.PipedInputStream();
        c.echoTo(new java.io.PipedOutputStream(seen));
        guestPrints(c, "$ ");
        byte[] two = new byte[2];
        long deadline = System.nanoTime() + 10_000_000_000L;
        int n = 0;
        while (n < 2 && System.nanoTime() < deadline) n += seen.read(two, n, 2 - n);
        assertEquals("$ ", new String(two, StandardCharsets.UTF_8));
    }

    @Test
    void emptyInputStillSendsEot() throws Exception {
        MachineConsole c = new MachineConsole();
        c.bridge(new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream()).join(5000);
        assertEquals(MachineConsole.EOT, c.guestRead());
        assertEquals(-1, c.guestRead(), "exactly once");
    }

    @Test
    void waitForSearchesOnlyUnansweredOutput() {
        MachineConsole c = new MachineConsole();
        guestPrints(c, "banner\n$ ");
        assertEquals("banner", c.waitFor("banner", Duration.ofSeconds(1)), "output before the first call is seen");
        assertEquals("$ ", c.waitFor("\\$ ", Duration.ofSeconds(1)));
        var again = assertThrows(MachineException.class, () -> c.waitFor("\\$ ", Duration.ofMillis(20)),
                "a prompt already matched is not matched again");
        assertTrue(again.getMessage().contains("within 20 ms"), again.getMessage());
        guestPrints(c, "old prompt $ ");
        c.send("ls\n");
        assertThrows(MachineException.class, () -> c.waitFor("\\$ ", Duration.ofMillis(20)),
                "output before send() is answered");
        guestPrints(c, "etc\n$ ");
        assertEquals("$ ", c.waitFor("\\$ ", Duration.ofSeconds(1)));
        assertEquals("banner", c.waitFor("banner", Duration.ofSeconds(1), 0), "position 0 searches everything");
        long now = c.position();
        guestPrints(c, "later");
        assertThrows(MachineException.class, () -> c.waitFor("banner", Duration.ofMillis(20), now));
        assertEquals("later", c.waitFor("lat.r", Duration.ofSeconds(1), now));
    }

    @Test
    void attachGivesTheKeysToTheGuestUntilCtrlBracket() {
        MachineConsole c = new MachineConsole();
        ByteArrayOutputStream screen = new ByteArrayOutputStream();
        java.util.ArrayDeque<Integer> keys = new java.util.ArrayDeque<>(List.of((int) 'l', (int) 's', 3, MachineConsole.DETACH, (int) 'x'));
        boolean[] raw = new boolean[2];
        guestPrints(c, "boot log\nlogin: "); // before the attach
        c.terminal(new ConsoleTerminal() {
            @Override public AutoCloseable raw() {
                raw[0] = true;
                return () -> raw[1] = true;
            }

            @Override public int read(long timeoutMillis) {
                Integer k = keys.poll();
                if (k != null && k == 's') guestPrints(c, "ls\r\n");
                return k == null ? -1 : k;
            }

            @Override public java.io.OutputStream output() { return screen; }
        });
        assertEquals("detached: Ctrl-]", c.attach());
        assertTrue(raw[0] && raw[1], "raw mode entered and restored");
        StringBuilder got = new StringBuilder();
        for (int b; (b = c.guestRead()) >= 0; ) got.append((char) b);
        assertEquals("ls\u0003", got.toString(), "keys up to Ctrl-] reach the guest, Ctrl-C included");
        assertEquals((Integer) (int) 'x', keys.peek(), "nothing is read after Ctrl-]");
        assertTrue(screen.toString().contains("Ctrl-] detaches") && screen.toString().contains("ls\r\n"), screen.toString());
        assertTrue(screen.toString().startsWith("[attached to the console; Ctrl-] detaches]\r\nlogin: "),
                "the line the guest is on (its prompt) shows again, earlier lines do not: " + screen);
        assertTrue(screen.toString().endsWith("\r\n"), "the shell goes on at the start of a line: " + screen);
    }

    @Test
    void attachWithoutATerminalSaysSo() {
        var e = assertThrows(MachineException.class, () -> new MachineConsole().attach());
        assertTrue(e.getMessage().contains("no terminal"), e.getMessage());
    }

    @Test
    void tailAndClear() {
        MachineConsole c = new MachineConsole();
        guestPrints(c, "a\nb\nc\nd\n");
        assertEquals("c\nd\n", c.tail(2));
        c.clear();
        assertEquals("", c.output());
    }

    @Test
    void optionsAreTypedAndUnknownOnesRejected() {
        Options o = new Options("virtioFs", Map.of("tag", "myfs", "dax", "1G", "queues", 2, "readonly", "yes"));
        assertEquals("myfs", o.requireString("tag"));
        assertEquals(Sizes.GiB, o.bytes("dax", 0));
        assertEquals(2, o.integer("queues", 1));
        assertTrue(o.bool("readonly", false));
        assertEquals("auto", o.choice("cache", "auto", "never", "auto", "always"));
        o.finish();

        Options typo = new Options("virtioFs", Map.of("tga", "x"));
        typo.string("tag", null);
        var e = assertThrows(IllegalArgumentException.class, typo::finish);
        assertEquals("virtioFs: unknown option 'tga' — did you mean 'tag'? (known: tag)", e.getMessage());
        Options far = new Options("virtioFs", Map.of("colour", "x"));
        far.string("tag", null);
        assertEquals("virtioFs: unknown option 'colour' (known: tag)", assertThrows(IllegalArgumentException.class, far::finish).getMessage());
        Options required = new Options("virtioFs", Map.of("tagg", "x", "dir", "d"));
        assertEquals("virtioFs: unknown option 'tagg' — did you mean 'tag'? (known: tag)",
                assertThrows(IllegalArgumentException.class, () -> required.requireString("tag")).getMessage(),
                "a typo of a required option is reported as the typo, not as the option missing");
        assertThrows(IllegalArgumentException.class, () -> new Options("w", Map.of("n", "x")).integer("n", 0));
        assertThrows(IllegalArgumentException.class, () -> new Options("w", Map.of("b", "maybe")).bool("b", false));
        assertThrows(IllegalArgumentException.class, () -> new Options("w", Map.of("c", "sometimes")).choice("c", "auto", "never", "auto"));
        assertThrows(IllegalArgumentException.class, () -> new Options("w", Map.of()).requireString("tag"));
    }

    @Test
    void suggestionsAreForTyposOnly() {
        assertEquals("pci", Suggestions.closest("pcii", List.of("memory", "pci", "riscv", "virtioFs")));
        assertEquals("virtioFs", Suggestions.closest("virtiofs", List.of("pci", "virtioFs", "virtioMmio")));
        assertEquals("riscv", Suggestions.closest("rsicv", List.of("pci", "riscv")), "a swap is one edit");
        assertNull(Suggestions.closest("banana", List.of("pci", "riscv")));
        assertEquals(" — did you mean 'memory'?", Suggestions.didYouMean("memroy", List.of("memory", "kernel")));
        assertEquals("", Suggestions.didYouMean("x", List.of()));
    }

    @Test
    void aMissingFileFailsWhenTheMachineIsBuilt() {
        var e = assertThrows(MachineException.class, () -> new MachineSpec().kernel(java.nio.file.Path.of("no/such/kernel.elf"))
                .add(new FakeBoard(1)).build());
        assertTrue(e.getMessage().startsWith("kernel no/such/kernel.elf: no such file"), e.getMessage());
        var d = assertThrows(MachineException.class, () -> new MachineSpec().initrd(java.nio.file.Path.of("."))
                .add(new FakeBoard(1)).build());
        assertEquals("initrd .: not a regular file", d.getMessage());
    }

    @Test
    void specBootargsAppend() {
        MachineSpec s = new MachineSpec().bootargs("a=1").appendBootargs(" b=2 ");
        assertEquals("a=1 b=2", s.bootargs());
        assertThrows(IllegalArgumentException.class, () -> s.memory(1000));
    }
}
