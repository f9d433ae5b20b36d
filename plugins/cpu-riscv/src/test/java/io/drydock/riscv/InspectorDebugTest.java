package io.drydock.riscv;

import io.drydock.kernel.debug.DebugStop;
import io.drydock.kernel.elf.ElfImage;
import io.drydock.kernel.machine.Machine;
import io.drydock.kernel.machine.RunResult;
import io.drydock.kernel.machine.MachineSpec;
import io.drydock.kernel.machine.MachineState;
import io.drydock.riscv.virt.VirtBoard;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.*;

/** Machine-level debugging as the shell does it: breakpoints and watchpoints of the machine, symbols, hex, refusals. */
class InspectorDebugTest {
    static final Path ELF = Path.of("guest/gdbdemo.elf");
    Machine m;
    Hart hart;
    Inspector in;
    long accumulate, counter;

    @BeforeEach
    void setUp() throws Exception {
        ElfImage image = ElfImage.read(ELF);
        accumulate = image.symbol("accumulate").value();
        counter = image.symbol("counter").value();
        m = new MachineSpec().name("dbg").kernel(ELF).add(new VirtBoard(1)).build();
        hart = (Hart) m.cpu(0);
        in = new Inspector(hart, m);
    }

    @AfterEach
    void tearDown() { m.close(); }

    /** Runs until the machine is paused for the debugger (run() ends with the reason). */
    DebugStop runToStop() {
        RunResult r = m.run(Duration.ofSeconds(20));
        assertEquals(RunResult.Outcome.PAUSED, r.outcome(), r.toString());
        assertTrue(r.toString().contains("paused: hart 0"), r.toString());
        assertEquals(MachineState.PAUSED, m.state());
        return m.debugStop();
    }

    @Test
    void stepBeforeBootIsRefusedWithAClearMessage() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> in.step(5));
        assertTrue(e.getMessage().contains("machine 'dbg' has not booted") && e.getMessage().contains("powerOn()"), e.getMessage());
        assertEquals(0, hart.instructionsRetired(), "nothing ran");
        m.powerOn();
        assertTrue(in.step(1).contains("<_start+0x4>"), "after power-on, step runs the loaded image");
    }

    @Test
    void valuesReadInHexWithSymbols() {
        m.powerOn();
        assertTrue(in.toString().startsWith("hart 0 of machine 'dbg' (CREATED): pc 0x80000000 <_start>, M-mode, 0 instructions"), in.toString());
        assertEquals("pc 0x0000000080000000 <_start>", in.pc().toString());
        assertEquals("a0 0x0000000000000000", in.x("a0").toString());
        assertEquals("mhartid 0x0000000000000000", in.csr("mhartid").toString());
        assertEquals(0x8000_0000L + 4, in.pc().plus(4));
        assertEquals("breakpoint 0x" + String.format("%016x", accumulate) + " <accumulate>", in.breakAt("accumulate").toString());
        assertEquals("[0x" + String.format("%016x", accumulate) + " <accumulate>]", in.breakpoints().toString());
        assertTrue(in.disasm("accumulate", 2).startsWith(String.format("%016x <accumulate>: ", accumulate)), in.disasm("accumulate", 2));
        assertTrue(in.disasm("accumulate", 2).contains("<accumulate+0x"), in.disasm("accumulate", 2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> in.breakAt("acumulate"));
        assertEquals("no symbol 'acumulate' in gdbdemo.elf", e.getMessage());
        assertEquals("write watchpoint 0x" + Long.toHexString(counter) + ", 8 bytes", in.watch("counter").toString());
    }

    @Test
    void breakpointsBelongToTheMachineAcrossRunAndReset() {
        in.breakAt("accumulate");
        DebugStop s = runToStop();
        assertEquals(DebugStop.Reason.BREAKPOINT, s.reason());
        assertEquals(accumulate, hart.pc());
        // a new inspector (as each hart(0) call makes) sees the same breakpoints
        assertEquals(1, new Inspector(hart, m).breakpoints().size());
        // paused: stepping is allowed (refused while running: stepWhileRunningIsRefused)
        assertTrue(in.step(1).contains("<accumulate+0x"));
        m.resume();
        assertEquals(0, m.waitForExit(Duration.ofSeconds(20)), "accumulate is entered once: the run goes on to the exit");
        m.reset();
        runToStop();
        assertEquals(accumulate, hart.pc(), "the breakpoint held across reset");
    }

    /**
     * The echo guest polls the UART until it reads EOT, so it is certainly still running when step is called
     * (gdbdemo, resumed, can reach its exit before the call on a fast machine).
     */
    @Test
    void stepWhileRunningIsRefused() {
        try (Machine echo = new MachineSpec().name("echo").kernel(GuestProgramsTest.GUEST.resolve("echo.elf"))
                .add(new VirtBoard(1)).build()) {
            Inspector ein = new Inspector((Hart) echo.cpu(0), echo);
            echo.start();
            assertEquals(MachineState.RUNNING, echo.state());
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> ein.step(1));
            assertTrue(e.getMessage().contains("machine 'echo' is running: pause() it first"), e.getMessage());
            echo.console().send(new byte[] {0x04});
            assertEquals(0, echo.waitForExit(Duration.ofSeconds(20)), "EOT ends the echo guest with 0 lines read");
        }
    }

    @Test
    void watchpointStopsBeforeTheStoreAndResumeCompletesIt() {
        in.watch("counter");
        DebugStop s = runToStop();
        assertEquals(DebugStop.Reason.WATCHPOINT, s.reason());
        assertEquals(counter, s.address());
        assertTrue(in.pc().toString().contains("<_start+"), "the first store to counter is crt.S clearing .bss: " + in.pc());
        runToStop(); // completes the clearing store; the next one is accumulate's counter = 1, stopped before it
        assertTrue(in.pc().toString().contains("<accumulate+"), in.pc().toString());
        assertEquals(0, m.memory().read64(counter), "stopped before the store");
        long storePc = hart.pc();
        assertTrue(in.disasm(storePc, 1).contains("sd"), in.disasm(storePc, 1));
        runToStop(); // completes that store, stops before the next iteration's
        assertEquals(1, m.memory().read64(counter));
        assertEquals(storePc, hart.pc());
        in.points().clear();
        m.resume();
        assertEquals(0, m.waitForExit(Duration.ofSeconds(20)));
        assertEquals(4, m.memory().read64(counter));
    }

    @Test
    void stepStopsAtBreakpointsAndWatchpoints() {
        m.powerOn();
        in.breakAt("accumulate");
        String r = in.step(10_000);
        assertTrue(r.startsWith("hart 0 at breakpoint 0x" + Long.toHexString(accumulate) + " <accumulate>"), r);
        assertEquals(accumulate, hart.pc());
        in.clearBreak("accumulate");
        in.watch("counter");
        r = in.step(10_000);
        assertTrue(r.contains("write watchpoint 0x" + Long.toHexString(counter)), r);
        long at = hart.pc();
        in.step(1);
        assertNotEquals(at, hart.pc(), "the stopped store completes on the next step");
        assertEquals(1, m.memory().read64(counter));
        assertTrue(in.runUntil("main", 100_000).contains("write watchpoint"), "runUntil stops at a watchpoint too");
    }
}
