package io.drydock.kernel.machine;

import io.drydock.kernel.memory.Sizes;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.*;

class MachineTest {
    private static Machine build(FakeBoard board) {
        return new MachineSpec().name("t").memory(16 * Sizes.MiB).add(board).build();
    }

    @Test
    void lifecycleCreatedRunningPausedStopped() throws Exception {
        FakeBoard board = new FakeBoard(2);
        try (Machine m = build(board)) {
            assertEquals(MachineState.CREATED, m.state());
            assertEquals(0, board.powerOns);
            m.start();
            assertEquals(MachineState.RUNNING, m.state());
            assertEquals(1, board.powerOns, "the image is loaded once, at first start");
            assertEquals(1, m.memory().read32(FakeBoard.DRAM));
            waitUntil(() -> m.instructionsRetired() > 0);
            m.pause();
            assertEquals(MachineState.PAUSED, m.state());
            long frozen = m.instructionsRetired();
            long clock = m.clock().nanos();
            Thread.sleep(20);
            assertEquals(frozen, m.instructionsRetired(), "no core runs while paused");
            assertEquals(clock, m.clock().nanos(), "virtual time stands still while paused");
            m.resume();
            waitUntil(() -> m.instructionsRetired() > frozen);
            m.stop();
            assertEquals(MachineState.STOPPED, m.state());
            assertThrows(MachineException.class, m::start);
            var e = assertThrows(MachineException.class, () -> m.waitForExit(Duration.ofMillis(10)));
            assertTrue(e.getMessage().contains("without an exit code"), e.getMessage());
        }
    }

    @Test
    void guestExitCodeReachesWaitForExit() {
        try (Machine m = build(new FakeBoard(1))) {
            m.start();
            m.bus().write(FakeBoard.FINISHER, 4, 42); // as a hart would
            assertEquals(42, m.waitForExit(Duration.ofSeconds(10)));
            assertEquals(42, m.exitCode());
            waitUntil(() -> m.state() == MachineState.STOPPED);
        }
    }

    @Test
    void waitForExitTimesOutWithAClearMessage() {
        try (Machine m = build(new FakeBoard(1))) {
            m.start();
            var e = assertThrows(MachineException.class, () -> m.waitForExit(Duration.ofMillis(50)));
            assertTrue(e.getMessage().contains("did not exit within"), e.getMessage());
            assertEquals(MachineState.RUNNING, m.state());
        }
    }

    @Test
    void runReturnsAResultWithExitCodeReasonAndConsoleTail() {
        try (Machine m = build(new FakeBoard(1))) {
            for (char ch : "booting\nhello from the guest\n".toCharArray()) m.console().guestWrite(ch);
            Thread.ofVirtual().start(() -> {
                waitUntil(() -> m.state() == MachineState.RUNNING);
                m.bus().write(FakeBoard.FINISHER, 4, 1);
            });
            RunResult r = m.run(Duration.ofSeconds(10));
            assertEquals(RunResult.Outcome.EXITED, r.outcome());
            assertEquals(1, r.exitCode());
            assertFalse(r.ok());
            String shown = r.toString();
            assertTrue(shown.startsWith("machine 't': exit code 1 — the guest exited ("), shown);
            assertTrue(shown.contains("\n  | booting\n  | hello from the guest"), shown);
        }
    }

    @Test
    void runThatTimesOutSaysSoInWordsAndLeavesTheMachineRunning() {
        try (Machine m = build(new FakeBoard(1))) {
            RunResult r = m.run(Duration.ofMillis(50));
            assertEquals(RunResult.Outcome.TIMED_OUT, r.outcome());
            assertNull(r.exitCode());
            assertEquals("timed out after 50 ms", r.reason());
            assertTrue(r.toString().contains("no exit code — timed out after 50 ms ("), r.toString());
            assertTrue(r.toString().contains("console: (no output)"), r.toString());
            assertEquals(MachineState.RUNNING, m.state());
            var e = assertThrows(MachineException.class, () -> m.waitForExit(Duration.ofSeconds(2)));
            assertTrue(e.getMessage().contains("did not exit within 2 s ("), e.getMessage());
        }
    }

    @Test
    void resetReloadsTheImageAndRestarts() {
        FakeBoard board = new FakeBoard(1);
        try (Machine m = build(board)) {
            m.start();
            m.bus().write(FakeBoard.FINISHER, 4, 3);
            assertEquals(3, m.waitForExit(Duration.ofSeconds(10)));
            waitUntil(() -> m.state() == MachineState.STOPPED);
            m.reset();
            assertEquals(MachineState.CREATED, m.state());
            assertEquals(1, board.resets);
            assertEquals(2, board.powerOns);
            assertEquals(2, m.memory().read32(FakeBoard.DRAM));
            assertNull(m.exitCode());
            m.start();
            assertEquals(MachineState.RUNNING, m.state());
        }
    }

    @Test
    void resetRightAfterAnExitIsNotUndoneByTheLateStop() {
        FakeBoard board = new FakeBoard(1);
        try (Machine m = build(board)) {
            for (int round = 1; round <= 20; round++) {
                m.start();
                m.bus().write(FakeBoard.FINISHER, 4, round);
                assertEquals(round, m.waitForExit(Duration.ofSeconds(10)));
                assertEquals(MachineState.STOPPED, m.state(), "waitForExit returns once the machine has stopped");
                m.reset();
            }
            assertEquals(MachineState.CREATED, m.state());
        }
    }

    @Test
    void guestRequestedResetRestartsTheMachine() {
        FakeBoard board = new FakeBoard(1);
        try (Machine m = build(board)) {
            m.start();
            m.bus().write(FakeBoard.FINISHER, 4, 0x7777);
            waitUntil(() -> board.powerOns == 2 && m.state() == MachineState.RUNNING);
        }
    }

    @Test
    void aCrashingCoreFailsTheMachineWithoutKillingTheJvm() {
        FakeBoard board = new FakeBoard(1);
        try (Machine m = build(board)) {
            m.start();
            ((FakeBoard.FakeCpu) m.cpu(0)).crash = true;
            var e = assertThrows(MachineException.class, () -> m.waitForExit(Duration.ofSeconds(10)));
            assertTrue(e.getMessage().contains("simulated emulator bug"), e.getMessage());
            assertEquals(1, m.faults().size());
            waitUntil(() -> m.state() == MachineState.STOPPED);
        }
    }

    @Test
    void deviceFaultsAreRecordedAndTheMachineGoesOn() {
        try (Machine m = build(new FakeBoard(1))) {
            m.start();
            MachineControl control = m.services().find(MachineControl.class).orElse(null);
            assertNull(control, "control is handed to parts at assembly, not published as a service");
            m.stop();
        }
        MachineAssembly[] captured = new MachineAssembly[1];
        MachineSpec spec = new MachineSpec().memory(16 * Sizes.MiB).add(new FakeBoard(1)).add(new MachinePart() {
            @Override public Phase phase() { return Phase.DEVICE; }
            @Override public String describe() { return "probe"; }
            @Override public void assemble(MachineAssembly a) { captured[0] = a; }
        });
        try (Machine m = spec.build()) {
            captured[0].control().reportFault("virtio-fs", "descriptor loop");
            captured[0].control().reportFault("virtio-fs", "descriptor loop");
            assertEquals(2, m.faults().size());
            assertEquals("virtio-fs: descriptor loop", m.faults().getFirst().toString());
            assertEquals(MachineState.CREATED, m.state());
        }
    }

    @Test
    void aMachineWithoutABoardIsAClearError() {
        var e = assertThrows(MachineException.class, () -> new MachineSpec().name("x").build());
        assertTrue(e.getMessage().contains("no board"), e.getMessage());
    }

    @Test
    void assemblyFailureReleasesWhatWasBuilt() {
        MachineSpec spec = new MachineSpec().memory(16 * Sizes.MiB).add(new FakeBoard(1)).add(new MachinePart() {
            @Override public Phase phase() { return Phase.DEVICE; }
            @Override public String describe() { return "clash"; }
            @Override public void assemble(MachineAssembly a) {
                a.memoryMap().addDevice("clash", FakeBoard.FINISHER, 0x10, new io.drydock.kernel.bus.BusDevice() {
                    @Override public long read(long o, int s) { return 0; }
                    @Override public void write(long o, int s, long v) {}
                });
            }
        });
        var e = assertThrows(IllegalArgumentException.class, spec::build);
        assertTrue(e.getMessage().contains("overlaps finisher"), e.getMessage());
    }

    @Test
    void summaryNamesPartsAndState() {
        try (Machine m = build(new FakeBoard(2))) {
            String s = m.toString();
            assertTrue(s.startsWith("machine 't' CREATED"), s);
            assertTrue(s.contains("fake board, 2 cores"), s);
            assertTrue(s.contains("memory 16 MiB"), s);
            assertNotNull(m.metrics().get("cpu1.instructions"));
        }
    }

    /** A class whose initialiser refuses a setting, as a plugin's may refuse a bad {@code -D} value. */
    static final class RefusingSetting {
        static final int VALUE;
        static {
            if (Boolean.parseBoolean("true")) throw new IllegalArgumentException("-Dexample.setting=yes: not one of [false, true]");
            VALUE = 1;
        }
    }

    @Test
    void aPartWhoseClassCannotInitialiseGivesAMachineExceptionWithItsReason() {
        MachinePart refusing = new MachinePart() {
            @Override public Phase phase() { return Phase.DEVICE; }
            @Override public String describe() { return "refusing device"; }
            @Override public void assemble(MachineAssembly a) { assertEquals(1, RefusingSetting.VALUE); }
        };
        var e = assertThrows(MachineException.class,
                () -> new MachineSpec().name("t").memory(16 * Sizes.MiB).add(new FakeBoard(1)).add(refusing).build());
        assertEquals("machine 't' cannot be assembled: -Dexample.setting=yes: not one of [false, true]", e.getMessage());
        assertInstanceOf(ExceptionInInitializerError.class, e.getCause());
    }

    static void waitUntil(java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) fail("condition not met within 10 s");
            Thread.onSpinWait();
        }
    }
}
