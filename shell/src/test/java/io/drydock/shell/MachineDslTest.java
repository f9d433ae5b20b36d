package io.drydock.shell;

import io.drydock.kernel.machine.Machine;
import io.drydock.kernel.machine.MachineSpec;
import io.drydock.kernel.machine.MachineState;
import io.drydock.shell.groovy.ScriptError;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** machine { ... } with a board from a plugin jar built on the fly. */
class MachineDslTest {
    private final TestSessions.Captured c = TestSessions.withFakeBoard();
    private final Session s = c.session();

    @AfterEach void closeMachines() { s.machines().forEach(Machine::close); }

    private Object eval(String code) throws ScriptError { return s.run(code, "<test>"); }

    @Test void aPluginWordAndKernelWordsBuildAMachineThatRuns() throws Exception {
        Object v = eval("m = machine { fakeboard instructions: 500, exit: 3; memory '2M'; name 'm1'; append 'quiet' }");
        Machine m = (Machine) v;
        assertEquals("m1", m.name());
        assertEquals(2L << 20, m.spec().memoryBytes());
        assertEquals("quiet", m.spec().bootargs());
        assertEquals(MachineState.CREATED, m.state());
        assertSame(m, s.currentMachine());
        String summary = Session.render(m);
        assertTrue(summary.contains("machine 'm1'") && summary.contains("fakeboard instructions=500"), summary);

        Object run = eval("m.run(Duration.ofSeconds(10))");
        assertEquals(3, ((io.drydock.kernel.machine.RunResult) run).exitCode());
        assertTrue(Session.render(run).startsWith("machine 'm1': exit code 3 — the guest exited"), Session.render(run));
        assertEquals(500L, m.instructionsRetired());
        eval("m.bus().write(0x10000000, 4, 42)");
        assertEquals(42L, eval("m.bus().read(0x10000000, 4)"));

        eval(":machines");
        assertTrue(c.output().contains("m1") && c.output().contains("500 instructions"), c.output());
    }

    @Test void aWordAloneOnALineWorksAndScriptMethodsStillWinInsideTheClosure() throws Exception {
        eval("def helperSize() { '4M' }");
        Machine m = (Machine) eval("machine {\n  fakeboard\n  memory helperSize()\n}");
        assertEquals(4L << 20, m.spec().memoryBytes());
    }

    @Test void machineSpecShowsThePartsWithoutBuilding() throws Exception {
        MachineSpec spec = (MachineSpec) eval("machineSpec { fakeboard exit: 1 }");
        assertTrue(spec.toString().contains("fakeboard instructions=1000 exit=1"), spec.toString());
        assertTrue(s.machines().isEmpty());
    }

    @Test void bootWordsAsQemusOptions() throws Exception {
        MachineSpec spec = (MachineSpec) eval("machineSpec { fakeboard; bios 'none'; kernel 'Image'; initrd 'rd.cpio'; dtb 'b.dtb' }");
        assertEquals("none", spec.bios());
        assertEquals(java.nio.file.Path.of("Image"), spec.kernel());
        assertEquals(java.nio.file.Path.of("rd.cpio"), spec.initrd());
        assertEquals(java.nio.file.Path.of("b.dtb"), spec.dtb());
        assertTrue(spec.toString().contains("bios none, kernel Image, initrd rd.cpio, dtb b.dtb"), spec.toString());
    }

    @Test void unknownWordsListTheKnownOnes() {
        ScriptError e = assertThrows(ScriptError.class, () -> s.run("machine {\n  riscv harts: 1\n}", "-e"));
        assertEquals("-e:2: unknown word 'riscv': not a variable or machine word (words: append, bios, deterministic, dtb, fakeboard, initrd, kernel, memory, name)", e.oneLine());
    }

    @Test void typosOfWordsAndOptionsGetADidYouMean() {
        ScriptError alone = assertThrows(ScriptError.class, () -> s.run("machine { fakebord }", "-e"));
        assertTrue(alone.oneLine().startsWith("-e:1: unknown word 'fakebord' — did you mean 'fakeboard'? (words: "), alone.oneLine());
        ScriptError withArgs = assertThrows(ScriptError.class, () -> s.run("machine { fakeboard exit: 0; memroy 64.MiB }", "-e"));
        assertTrue(withArgs.oneLine().startsWith("-e:1: unknown word 'memroy' — did you mean 'memory'?"), withArgs.oneLine());
        ScriptError option = assertThrows(ScriptError.class, () -> s.run("machine { fakeboard exitt: 1 }", "-e"));
        assertEquals("-e:1: fakeboard: unknown option 'exitt' — did you mean 'exit'? (known: instructions, exit, spin)", option.oneLine());
    }

    @Test void singleValuedWordsGivenTwiceAreRefused() {
        ScriptError memory = assertThrows(ScriptError.class, () -> s.run("machine { fakeboard; memory 64.MiB\n memory '128M' }", "-e"));
        assertEquals("-e:2: memory given twice (64 MiB, then 128M): a machine has one; keep one of them", memory.oneLine());
        ScriptError name = assertThrows(ScriptError.class, () -> s.run("machine { fakeboard; name 'a'; name 'b' }", "-e"));
        assertTrue(name.oneLine().contains("name given twice (a, then b)"), name.oneLine());
        ScriptError boards = assertThrows(ScriptError.class, () -> s.run("machine { fakeboard; fakeboard }", "-e"));
        assertTrue(boards.oneLine().contains("has 2 boards"), boards.oneLine());
    }

    @Test void aMissingKernelFailsWhenTheMachineIsBuilt() {
        ScriptError e = assertThrows(ScriptError.class, () -> s.run("m = machine { fakeboard; kernel 'no/such.elf' }", "-e"));
        assertTrue(e.oneLine().startsWith("-e:1: kernel no/such.elf: no such file"), e.oneLine());
        assertTrue(s.machines().isEmpty(), "nothing was built");
    }

    @Test void badOptionsAndMissingBoardsAreShortErrors() {
        ScriptError opt = assertThrows(ScriptError.class, () -> s.run("machine { fakeboard bogus: 1 }", "-e"));
        assertEquals("-e:1: fakeboard: unknown option 'bogus' (known: instructions, exit, spin)", opt.oneLine());
        ScriptError board = assertThrows(ScriptError.class, () -> s.run("machine { memory '8M' }", "-e"));
        assertTrue(board.oneLine().startsWith("-e:1: machine '") && board.oneLine().contains("has no board"), board.oneLine());
    }

    @Test void pluginCommandsAndBindingsArePartOfTheSession() throws Exception {
        assertEquals(5, eval("adder(2, 3)"));
        eval(":fake one 'two three'");
        assertTrue(c.output().contains("fake ran with [one, two three]"), c.output());
        eval(":help");
        assertTrue(c.output().contains("fakeboard instructions: N, exit: CODE"), c.output());
        assertTrue(c.output().contains("adder(a, b)"), c.output());
        eval(":plugins");
        assertTrue(c.output().lines().anyMatch(l -> l.startsWith("fakeboard") && l.contains("1.0.0") && l.contains("STARTED")), c.output());
    }

    @Test void metricsOfTheNewestMachine() throws Exception {
        eval("m = machine { fakeboard instructions: 10 }; m.run(Duration.ofSeconds(10)); m.bus().read(0x10000000, 4)");
        eval(":metrics");
        assertTrue(c.output().contains("machine.instructions") && c.output().contains("10"), c.output());
        eval(":metrics --json");
        assertTrue(c.output().contains("\"machine.instructions\":10"), c.output());
    }

    @Test void metricsJsonHonoursThePrefix() throws Exception {
        eval("m = machine { fakeboard instructions: 10 }; m.run(Duration.ofSeconds(10))");
        eval(":metrics cpu0 --json");
        String json = c.output().strip();
        assertTrue(json.contains("\"cpu0.instructions\":10"), json);
        assertFalse(json.contains("machine.instructions"), "the prefix selects: " + json);
        ScriptError none = assertThrows(ScriptError.class, () -> eval(":metrics cpu9"));
        assertTrue(none.getMessage().matches("no metric of machine 'm\\d+' starts with 'cpu9' — did you mean 'cpu0'\\? .*"), none.getMessage());
        ScriptError bad = assertThrows(ScriptError.class, () -> eval(":metrics --jsn"));
        assertTrue(bad.getMessage().startsWith("unknown option --jsn — did you mean '--json'?"), bad.getMessage());
    }

    @Test void useMakesAnotherMachineCurrentForTheHelpers() throws Exception {
        eval("m1 = machine(name: 'first') { fakeboard instructions: 10 }; m2 = machine(name: 'second') { fakeboard instructions: 20 }");
        assertEquals("second", s.currentMachine().name(), "the newest built is current");
        eval(":machines");
        assertTrue(c.output().contains("  first ") && c.output().contains("* second "), c.output());
        assertSame(s.variable("m1"), eval("use m1"));
        assertEquals("first", s.currentMachine().name());
        eval("m1.run(Duration.ofSeconds(10)); m2.run(Duration.ofSeconds(10))");
        eval(":metrics machine.instructions");
        assertTrue(c.output().contains("machine.instructions  10"), "acts on the current machine: " + c.output());
        eval(":metrics machine.instructions --machine second");
        assertTrue(c.output().contains("machine.instructions  20"), c.output());
        eval(":use second");
        assertEquals("second", s.currentMachine().name());
        eval("use 'first'");
        assertEquals("first", s.currentMachine().name());
        ScriptError none = assertThrows(ScriptError.class, () -> eval("use 'third'"));
        assertTrue(none.getMessage().contains("no machine named 'third' (machines: first, second)"), none.getMessage());
        ScriptError cmd = assertThrows(ScriptError.class, () -> eval(":metrics --machine third"));
        assertTrue(cmd.getMessage().contains("no machine named 'third'"), cmd.getMessage());
    }

    @Test void waitingForAMachineIsInterruptible() throws Exception {
        eval("spinner = machine { fakeboard spin: true }; spinner.start()");
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = Thread.ofPlatform().start(() -> {
            try {
                s.run("spinner.waitForExit(Duration.ofMinutes(5))", "<test>");
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        Thread.sleep(300);
        t.interrupt();
        t.join(10_000);
        assertFalse(t.isAlive());
        assertTrue(failure.get() instanceof ScriptError e && e.getMessage().contains("interrupted"), String.valueOf(failure.get()));
        s.close();
        assertEquals(MachineState.STOPPED, ((Machine) s.variable("spinner")).state());
    }
}
