package io.drydock.riscv;

import io.drydock.kernel.debug.DebugPoints;
import io.drydock.kernel.debug.DebugStop;
import io.drydock.kernel.machine.ExecutionControl;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.drydock.riscv.Asm.addi;
import static io.drydock.riscv.TranslatorTest.bne;
import static io.drydock.riscv.TranslatorTest.jal;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Breakpoints cost nothing where there are none: with breakpoints set, code on pages without one still runs
 * translated, and only the pages that hold a breakpoint are checked instruction by instruction
 * ({@link Hart#checkedInstructions} counts those). Stops stay exact: pc at the breakpoint, not executed.
 */
class BreakpointFastPathTest extends BareHartTest {
    static final int N = 5000;
    final DebugPoints points = new DebugPoints();
    final List<DebugStop> stops = new ArrayList<>();
    final ExecutionControl control = new ExecutionControl() {
        @Override public boolean stopRequested() { return false; }
        @Override public void fail(String reason, Throwable cause) { throw new AssertionError(reason, cause); }
        @Override public void debugStop(DebugStop stop) { stops.add(stop); }
    };

    @BeforeEach
    void program() {
        // page 0: a hot loop (N passes), then off to page 1
        put(0x000, addi(4, 4, -1));
        put(0x004, bne(4, 0, -4));
        put(0x008, jal(0, 0x1000 - 0x008));
        // page 1: one instruction (the breakpoint), then back to page 0
        put(0x1000, addi(5, 5, 1));
        put(0x1004, jal(0, 0x00c - 0x1004));
        // page 0 again, then page 2
        put(0x00c, addi(6, 6, 1));
        put(0x010, jal(0, 0x2000 - 0x010));
        put(0x2000, addi(7, 7, 1));
        put(0x2004, jal(0, 0));
        h.reset();
        h.attachDebug(points);
        h.setX(4, N);
    }

    void put(int offset, int word) { bus.write(BASE + offset, 4, word); }

    DebugStop run() {
        int before = stops.size();
        h.run(control);
        assertEquals(before + 1, stops.size(), "the run ended with one debug stop");
        return stops.getLast();
    }

    @Test
    void codeOnPagesWithoutABreakpointRunsTranslated() {
        points.addBreakpoint(BASE + 0x1000);
        DebugStop s = run();
        assertEquals(DebugStop.Reason.BREAKPOINT, s.reason());
        assertEquals(BASE + 0x1000, h.pc());
        assertEquals(2L * N + 1, h.instructionsRetired(), "the loop and the jump, not the breakpoint's instruction");
        assertEquals(0, h.x(5));
        assertEquals(0, h.checkedInstructions, "nothing ran one instruction at a time");
        assertNotNull(h.mmu.codePage(BASE).blocks[0], "the loop was translated");

        points.addBreakpoint(BASE + 0x2000);
        s = run(); // resumes: the breakpoint's instruction runs (checked), and so does the rest of its page
        assertEquals(BASE + 0x2000, h.pc());
        assertEquals(1, h.x(5));
        assertEquals(1, h.x(6));
        assertEquals(0, h.x(7));
        assertEquals(2, h.checkedInstructions, "only page 1's two instructions were checked; page 0 ran as usual");
        assertEquals(2L * N + 5, h.instructionsRetired());
    }

    @Test
    void aBreakpointInsideTranslatedCodeStopsExactly() {
        h.step(100); // 50 passes: the loop is translated, pc back at its start
        assertNotNull(h.mmu.codePage(BASE).blocks[0], "the loop was translated");
        assertEquals(BASE, h.pc());
        points.addBreakpoint(BASE + 4); // the bne, in the middle of the translated block
        run();
        assertEquals(BASE + 4, h.pc());
        assertEquals(101, h.instructionsRetired(), "the translated block did not run past the breakpoint");
        run(); // the bne runs, the loop comes round once more
        assertEquals(BASE + 4, h.pc());
        assertEquals(103, h.instructionsRetired());
        assertEquals(N - 52, h.x(4));
        points.removeBreakpoint(BASE + 4);
        points.addBreakpoint(BASE + 0x2000);
        long checked = h.checkedInstructions;
        run();
        assertEquals(BASE + 0x2000, h.pc());
        assertEquals(0, h.x(4));
        assertTrue(h.checkedInstructions - checked <= 2, "with the loop's breakpoint gone the loop runs unchecked: "
                + (h.checkedInstructions - checked) + " checked");
    }
}
