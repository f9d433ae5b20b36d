package io.drydock.kernel.testing;

import io.drydock.kernel.irq.InterruptController;
import io.drydock.kernel.irq.InterruptLine;

/** A PLIC stand-in with 96 sources whose levels tests can read. */
public final class TestInterruptController implements InterruptController {
    private final TestLine[] lines = new TestLine[96];

    public TestInterruptController() {
        for (int i = 0; i < lines.length; i++) lines[i] = new TestLine();
    }

    @Override public String name() { return "test-plic"; }

    @Override public int sources() { return lines.length; }

    @Override public InterruptLine line(int source) {
        if (source < 1 || source >= lines.length) throw new IllegalArgumentException("no source " + source);
        return lines[source];
    }

    public TestLine test(int source) { return lines[source]; }
}
