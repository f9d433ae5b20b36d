package io.drydock.shell;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** scripts/run's debugger options in QEMU's spellings, loopback only. */
class GdbOptionsTest {
    static GdbOptions parse(String... argv) {
        try {
            return RunMain.parse(argv, new RunIo(null, null, null, java.nio.file.Path.of("/"), java.util.Map.of(), false)).gdb;
        } catch (CommandOptions.BadOptionException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }

    @Test
    void qemuSpellings() {
        assertFalse(parse("--kernel", "x.elf").enabled());
        assertEquals(1234, parse("-s").port());
        GdbOptions sS = parse("-s", "-S");
        assertTrue(sS.enabled() && sS.frozen);
        assertEquals(4321, parse("--gdb", "tcp::4321").port());
        assertEquals(4321, parse("-gdb", "tcp::4321").port());
        assertEquals(4321, parse("--gdb", "tcp:127.0.0.1:4321").port());
        assertEquals(4321, parse("--gdb", "tcp:localhost:4321").port());
        assertEquals(4321, parse("--gdb", "4321").port());
        assertTrue(parse("--gdb", "tcp::1", "-S").frozen);
    }

    @Test
    void onlyLoopbackAndAGdbForMinusS() {
        for (String bad : new String[] {"tcp:0.0.0.0:1234", "tcp:10.0.0.1:1234", "unix:/tmp/s", "tcp::99999", "tcp::"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse("--gdb", bad).check(), bad);
            assertTrue(e.getMessage().contains("127.0.0.1 only"), e.getMessage());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse("-S").check());
        assertEquals("-S waits for gdb: give --gdb tcp::PORT or -s too", e.getMessage());
    }
}
