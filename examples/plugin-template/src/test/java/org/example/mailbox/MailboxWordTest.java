package org.example.mailbox;

import io.drydock.kernel.fdt.DeviceTreeContributor;
import io.drydock.kernel.fdt.FdtBuilder;
import io.drydock.kernel.irq.InterruptController;
import io.drydock.kernel.irq.InterruptLine;
import io.drydock.kernel.machine.Machine;
import io.drydock.kernel.machine.MachineAssembly;
import io.drydock.kernel.machine.MachineException;
import io.drydock.kernel.machine.MachinePart;
import io.drydock.kernel.machine.MachineSpec;
import io.drydock.kernel.machine.Options;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The DSL word: its options, and its part assembled into a real machine around a stand-in board. */
class MailboxWordTest {
    final MailboxWord word = new MailboxWord();

    /** A board with no CPU: just an interrupt controller that remembers each source's level. */
    static final class TestBoard implements MachinePart, InterruptController {
        final Map<Integer, Boolean> levels = new ConcurrentHashMap<>();

        @Override public Phase phase() { return Phase.BOARD; }

        @Override public String describe() { return "test board"; }

        @Override public void assemble(MachineAssembly a) { a.services().add(InterruptController.class, this); }

        @Override public String name() { return "test-ic"; }

        @Override public int sources() { return 32; }

        @Override public InterruptLine line(int source) { return level -> levels.put(source, level); }
    }

    MachinePart create(Map<String, ?> options) { return word.create(new Options("mailbox", options), List.of()); }

    @Test void readsItsOptions() {
        MailboxPart p = (MailboxPart) create(Map.of("base", 0x10002000, "irq", 9));
        assertEquals(MachinePart.Phase.DEVICE, p.phase());
        assertEquals(new MailboxConfig("mailbox", 0x10002000L, 9), p.config());
        assertEquals("mailbox at 0x10002000 irq 9", p.describe());
    }

    @Test void rejectsBadOptions() {
        assertEquals("mailbox: needs base: ADDRESS, e.g. mailbox base: 0x10002000",
                assertThrows(IllegalArgumentException.class, () -> create(Map.of())).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> create(Map.of("base", 0x1000, "colour", "red")))
                .getMessage().startsWith("mailbox: unknown option 'colour'"));
        assertThrows(IllegalArgumentException.class, () -> create(Map.of("base", 0x1001)));
    }

    @Test void assembledIntoAMachineItIsMappedAndRingsTheBoardsInterruptController() {
        TestBoard board = new TestBoard();
        try (Machine m = new MachineSpec().name("t").add(board).add(create(Map.of("base", 0x10002000, "irq", 9))).build()) {
            assertEquals(MailboxDevice.MAGIC, (int) m.bus().read(0x10002000, 4));
            m.bus().write(0x10002000 + MailboxDevice.DOORBELL, 4, 1);
            assertEquals(true, board.levels.get(9));
            m.bus().write(0x10002000 + MailboxDevice.STATUS, 4, 1);
            assertEquals(false, board.levels.get(9));
            assertTrue(m.toString().contains("mailbox at 0x10002000 irq 9"), m.toString());
        }
    }

    @Test void itDescribesItselfInTheDeviceTree() {
        try (Machine m = new MachineSpec().name("t").add(new TestBoard()).add(create(Map.of("base", 0x10200000, "irq", 9))).build()) {
            List<DeviceTreeContributor> contributors = m.services().all(DeviceTreeContributor.class);
            assertEquals(1, contributors.size(), "the mailbox offers itself to the board's device tree");
            FdtBuilder fdt = new FdtBuilder();
            fdt.root().child("soc");
            contributors.getFirst().contribute(fdt, 3);
            FdtBuilder.Node node = fdt.find("/soc/mailbox@10200000");
            assertArrayEquals("example,mailbox\0".getBytes(StandardCharsets.US_ASCII), node.property("compatible"));
            assertArrayEquals(cells(0, 0x10200000, 0, 0x1000), node.property("reg"));
            assertArrayEquals(cells(9), node.property("interrupts"));
            assertArrayEquals(cells(3), node.property("interrupt-parent"));
            // the tree still serialises and parses back with the node in it
            assertArrayEquals(cells(9), FdtBuilder.parse(fdt.build()).find("/soc/mailbox@10200000").property("interrupts"));
        }
    }

    private static byte[] cells(int... values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length);
        for (int v : values) b.putInt(v);
        return b.array();
    }

    @Test void anIrqNeedsAnInterruptController() {
        MachinePart noController = new MachinePart() {
            @Override public Phase phase() { return Phase.BOARD; }

            @Override public String describe() { return "bare board"; }

            @Override public void assemble(MachineAssembly a) {}
        };
        MachineSpec spec = new MachineSpec().add(noController).add(create(Map.of("base", 0x10002000, "irq", 3)));
        assertTrue(assertThrows(MachineException.class, spec::build).getMessage().startsWith("mailbox needs a InterruptController"));
    }
}
