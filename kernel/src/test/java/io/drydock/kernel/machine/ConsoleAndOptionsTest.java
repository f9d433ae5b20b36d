package io.drydock.kernel.machine;

import io.drydock.kernel.memory.Sizes;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
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
    void bridgeEchoesOutputAndFeedsInput() throws Exception {
        MachineConsole c = new MachineConsole();
        ByteArrayOutputStream terminal = new ByteArrayOutputStream();
        Thread t = c.bridge(new ByteArrayInputStream("typed".getBytes()), terminal);
        t.join(5000);
        guestPrints(c, "hi\n");
        assertEquals("hi\n", terminal.toString());
        StringBuilder got = new StringBuilder();
        for (int b; (b = c.guestRead()) >= 0; ) got.append((char) b);
        assertEquals("typed", got.toString());
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
        assertEquals("virtioFs: unknown option 'tga' (known: tag)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Options("w", Map.of("n", "x")).integer("n", 0));
        assertThrows(IllegalArgumentException.class, () -> new Options("w", Map.of("b", "maybe")).bool("b", false));
        assertThrows(IllegalArgumentException.class, () -> new Options("w", Map.of("c", "sometimes")).choice("c", "auto", "never", "auto"));
        assertThrows(IllegalArgumentException.class, () -> new Options("w", Map.of()).requireString("tag"));
    }

    @Test
    void specBootargsAppend() {
        MachineSpec s = new MachineSpec().bootargs("a=1").appendBootargs(" b=2 ");
        assertEquals("a=1 b=2", s.bootargs());
        assertThrows(IllegalArgumentException.class, () -> s.memory(1000));
    }
}
