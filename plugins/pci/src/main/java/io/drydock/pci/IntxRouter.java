package io.drydock.pci;

import io.drydock.kernel.irq.InterruptController;
import io.drydock.kernel.irq.InterruptLine;

import java.util.BitSet;

/**
 * Wires INTA–INTD of every slot to the interrupt controller as QEMU's GPEX on virt does
 * ({@code create_pcie_irq_map}): pin p (0 = INTA) of slot s raises source {@code 32 + (p + s) % 4}. Several
 * functions share a source, so each source is the OR of its functions' levels (the PLIC's lines are plain
 * levels). Thread-safe.
 */
final class IntxRouter {
    static final int FIRST_SOURCE = 32, PINS = 4;

    private final InterruptLine[] lines = new InterruptLine[PINS];
    private final BitSet[] asserting = new BitSet[PINS];

    IntxRouter(InterruptController controller) {
        for (int i = 0; i < PINS; i++) {
            lines[i] = controller.line(FIRST_SOURCE + i);
            asserting[i] = new BitSet(256);
        }
    }

    /** The controller source for {@code pin} (1 = INTA … 4 = INTD, as the Interrupt Pin register) of {@code slot}. */
    static int source(int slot, int pin) { return FIRST_SOURCE + (pin - 1 + slot) % PINS; }

    /** Sets the level a function drives on its pin. */
    void set(PciAddress address, int pin, boolean asserted) {
        if (pin < 1 || pin > PINS) return;
        int i = source(address.device(), pin) - FIRST_SOURCE;
        boolean level;
        synchronized (this) {
            asserting[i].set(address.devfn(), asserted);
            level = !asserting[i].isEmpty();
        }
        lines[i].set(level);
    }
}
