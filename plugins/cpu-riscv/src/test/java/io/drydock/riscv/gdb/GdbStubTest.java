package io.drydock.riscv.gdb;

import io.drydock.kernel.debug.DebugServer;
import io.drydock.kernel.elf.ElfImage;
import io.drydock.kernel.machine.Machine;
import io.drydock.kernel.machine.MachineSpec;
import io.drydock.kernel.machine.MachineState;
import io.drydock.riscv.virt.VirtBoard;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** The GDB stub over a real socket, played by a scripted client: the protocol, stops, and hostile packets. */
class GdbStubTest {
    static final Path ELF = Path.of("guest/gdbdemo.elf");
    Machine m;
    DebugServer server;
    GdbClient gdb;
    ElfImage image;

    @BeforeEach
    void setUp() throws Exception {
        image = ElfImage.read(ELF);
        m = new MachineSpec().name("gdbtest").kernel(ELF).add(new VirtBoard(2)).build();
        server = m.gdb(0);
        gdb = new GdbClient(server.port());
    }

    @AfterEach
    void tearDown() throws Exception {
        gdb.close();
        m.close();
    }

    long sym(String name) { return image.symbol(name).value(); }

    static String le(long v) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) sb.append(String.format("%02x", (v >>> (8 * i)) & 0xff));
        return sb.toString();
    }

    @Test
    void listensOnLoopbackOnly() throws Exception {
        // the port is bound on 127.0.0.1: binding the same port on the wildcard address would conflict only if
        // the stub had taken every interface; a connection to loopback works (setUp made one)
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new java.net.InetSocketAddress(InetAddress.getByName("0.0.0.0"), 0));
        }
        assertTrue(server.toString().contains("127.0.0.1:" + server.port()), server.toString());
    }

    @Test
    void queriesDescribeTheTarget() throws Exception {
        String sup = gdb.ask("qSupported:multiprocess+;swbreak+;hwbreak+;xmlRegisters=i386");
        assertTrue(sup.contains("qXfer:features:read+") && sup.contains("PacketSize="), sup);
        assertEquals("T05thread:1;", gdb.ask("?"));
        assertEquals("m1,2", gdb.ask("qfThreadInfo"));
        assertEquals("l", gdb.ask("qsThreadInfo"));
        assertEquals("QC1", gdb.ask("qC"));
        assertEquals("vCont;c;C;s;S", gdb.ask("vCont?"));
        // target.xml in pieces, as gdb reads it
        StringBuilder xml = new StringBuilder();
        String part;
        do {
            part = gdb.ask("qXfer:features:read:target.xml:" + Integer.toHexString(xml.length()) + ",200");
            xml.append(part.substring(1));
        } while (part.charAt(0) == 'm');
        assertEquals(TargetDescription.XML, xml.toString());
        assertTrue(xml.toString().contains("<reg name=\"pc\" bitsize=\"64\" type=\"code_ptr\" regnum=\"32\"/>"));
        assertTrue(xml.toString().contains("<reg name=\"mstatus\" bitsize=\"64\" type=\"int\" regnum=\"" + (65 + 0x300) + "\"/>"));
        assertEquals("E00", gdb.ask("qXfer:features:read:other.xml:0,100"));
    }

    @Test
    void registersOfEachHart() throws Exception {
        // powered on at the entry state: pc 0x80000000, a0 = hart id
        String g = gdb.ask("g");
        assertEquals(33 * 16, g.length());
        assertEquals(le(0x8000_0000L), g.substring(32 * 16));
        assertEquals(le(0), gdb.ask("pa"));
        assertEquals("OK", gdb.ask("Hg2"));
        assertEquals(le(1), gdb.ask("pa"));          // a0 of hart 1
        assertEquals(le(1), gdb.ask("p" + Integer.toHexString(65 + 0xF14))); // mhartid
        assertEquals("OK", gdb.ask("Pa=" + le(0x1234)));
        assertEquals(le(0x1234), gdb.ask("pa"));
        assertEquals("OK", gdb.ask("P" + Integer.toHexString(65 + 0x340) + "=" + le(0xabcd))); // mscratch
        assertEquals(le(0xabcd), gdb.ask("p" + Integer.toHexString(65 + 0x340)));
        assertEquals(le(3), gdb.ask("p" + Integer.toHexString(65 + 4096))); // priv: M
        assertEquals("E22", gdb.ask("Hg9"));
    }

    @Test
    void memoryReadAndWrite() throws Exception {
        long counter = sym("counter");
        assertEquals("0000000000000000", gdb.ask("m" + Long.toHexString(counter) + ",8"));
        assertEquals("OK", gdb.ask("M" + Long.toHexString(counter) + ",2:beef"));
        assertEquals("beef", gdb.ask("m" + Long.toHexString(counter) + ",2"));
        assertEquals("E14", gdb.ask("m0,4"));          // nothing mapped at 0
        assertEquals("E14", gdb.ask("M10000000,1:41")); // the UART: devices are not written by the debugger
        assertEquals("E14", gdb.ask("m10000000,1"));
    }

    @Test
    void breakpointStepWatchpointAndExit() throws Exception {
        long accumulate = sym("accumulate"), counter = sym("counter");
        assertEquals("OK", gdb.ask("Z0," + Long.toHexString(accumulate) + ",2"));
        assertEquals("T05thread:1;", gdb.ask("vCont;c"));
        assertEquals(MachineState.PAUSED, m.state());
        assertEquals(le(accumulate), gdb.ask("p20"));
        assertEquals(le(4), gdb.ask("pa")); // n = 4
        assertEquals("OK", gdb.ask("z0," + Long.toHexString(accumulate) + ",2"));
        assertEquals("T05thread:1;", gdb.ask("vCont;s:1"));
        assertNotEquals(le(accumulate), gdb.ask("p20"));
        // a write watchpoint stops before the store takes effect, with pc at the storing instruction
        assertEquals("OK", gdb.ask("Z2," + Long.toHexString(counter) + ",8"));
        assertEquals("T05watch:" + Long.toHexString(counter) + ";thread:1;", gdb.ask("c"));
        assertEquals("0000000000000000", gdb.ask("m" + Long.toHexString(counter) + ",8"));
        long storePc = Long.parseUnsignedLong(Long.toHexString(Long.reverseBytes(Long.parseUnsignedLong(gdb.ask("p20"), 16))), 16);
        // continuing completes the stopped store and stops at the next one
        assertEquals("T05watch:" + Long.toHexString(counter) + ";thread:1;", gdb.ask("c"));
        assertEquals("0100000000000000", gdb.ask("m" + Long.toHexString(counter) + ",8"));
        assertEquals(le(storePc), gdb.ask("p20"));
        assertEquals("OK", gdb.ask("z2," + Long.toHexString(counter) + ",8"));
        assertEquals("W00", gdb.ask("c"));
        assertEquals(0, m.exitCode());
        assertEquals("[]", m.debug().breakpoints().toString());
    }

    @Test
    void interruptStopsARunningGuest() throws Exception {
        // a one-instruction loop (c.j 0) at the entry point: it never ends by itself
        assertEquals("OK", gdb.ask("M80000000,2:01a0"));
        gdb.raw(GdbClient.frame("c"));
        assertEquals('+', gdb.ack());
        for (int i = 0; i < 100 && m.instructionsRetired() < 1000; i++) Thread.sleep(10);
        assertEquals(MachineState.RUNNING, m.state());
        gdb.raw("\u0003");
        assertEquals("T02thread:1;", gdb.reply());
        assertEquals(MachineState.PAUSED, m.state());
        assertEquals(le(0x8000_0000L), gdb.ask("p20"));
    }

    @Test
    void interruptEndsARunWaitingInTheShell() throws Exception {
        assertEquals("OK", gdb.ask("M80000000,2:01a0")); // c.j 0: never ends by itself
        gdb.raw(GdbClient.frame("c"));
        assertEquals('+', gdb.ack());
        // the shell's m.run(), blocking on another thread while gdb has the machine running
        var result = new java.util.concurrent.CompletableFuture<io.drydock.kernel.machine.RunResult>();
        Thread shell = Thread.ofPlatform().start(() -> result.complete(m.run(java.time.Duration.ofSeconds(60))));
        for (int i = 0; i < 100 && m.instructionsRetired() < 1000; i++) Thread.sleep(10);
        // the interrupt must come while run() waits (a run() that starts after it resumes the paused machine)
        for (int i = 0; i < 1000 && shell.getState() != Thread.State.TIMED_WAITING; i++) Thread.sleep(10);
        assertEquals(Thread.State.TIMED_WAITING, shell.getState(), "run() waits for the guest");
        assertFalse(result.isDone(), "run() waits while the guest runs");
        gdb.raw("\u0003");
        assertEquals("T02thread:1;", gdb.reply());
        var r = result.get(20, java.util.concurrent.TimeUnit.SECONDS);
        shell.join();
        assertEquals(io.drydock.kernel.machine.RunResult.Outcome.PAUSED, r.outcome(), r.toString());
        assertEquals("paused: interrupted by gdb (Ctrl-C), hart 0 at 0x80000000", r.reason());
        assertEquals(MachineState.PAUSED, m.state());
        // gdb goes on from there: continue and interrupt again
        gdb.raw(GdbClient.frame("c"));
        assertEquals('+', gdb.ack());
        gdb.raw("\u0003");
        assertEquals("T02thread:1;", gdb.reply());
    }

    @Test
    void hostilePacketsGetErrorsNotACrash() throws Exception {
        String[] bad = {"m", "mzz,4", "m80000000", "m80000000,-1", "M80000000,4:zz", "M80000000,2:0", "p", "pzz",
                "P1", "P1=zz", "Pa=01", "Z0", "Z9,0,0", "Z2,80000000,0", "Z2,80000000,99999", "Hgzz", "H",
                "qXfer:features:read:target.xml:zz,1", "qXfer:features:read:target.xml", "vCont;x", "vCont;s:99",
                "G00", "czz", "Sxx;zz", "T99", "qThreadExtraInfo,zz", "\u00ff\u0001", "ffffffffffffffffffff"};
        for (String p : bad) {
            String r = gdb.ask(p);
            assertTrue(r.isEmpty() || r.startsWith("E"), "'" + p + "' → '" + r + "'");
        }
        // a corrupt checksum and an overlong packet are NAKed and never served
        gdb.raw("$qC#00");
        assertEquals('-', gdb.ack());
        gdb.raw(GdbClient.frame("m" + "0".repeat(PacketChannel.MAX_PAYLOAD + 10)));
        assertEquals('-', gdb.ack());
        // the session goes on
        assertEquals("QC1", gdb.ask("qC"));
        assertEquals(MachineState.CREATED, m.state());
    }

    @Test
    void noAckMode() throws Exception {
        assertEquals("OK", gdb.ask("QStartNoAckMode"));
        gdb.raw(GdbClient.frame("qC"));
        assertEquals("QC1", gdb.reply());
    }
}
