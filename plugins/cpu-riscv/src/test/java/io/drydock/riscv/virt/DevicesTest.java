package io.drydock.riscv.virt;

import io.drydock.kernel.bus.SystemBus;
import io.drydock.kernel.clock.TimerScheduler;
import io.drydock.kernel.clock.VirtualClock;
import io.drydock.kernel.machine.MachineConsole;
import io.drydock.kernel.machine.MachineControl;
import io.drydock.kernel.metrics.MetricsRegistry;
import io.drydock.riscv.Hart;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The board's devices driven through their registers, as a guest would. */
class DevicesTest {
    static final int MIP = 0x344;
    SystemBus bus;
    List<Hart> harts;
    VirtualClock clock;
    TimerScheduler timers;

    @BeforeEach
    void setUp() {
        bus = new SystemBus(new MetricsRegistry());
        harts = List.of(new Hart(0, bus, () -> 0), new Hart(1, bus, () -> 0));
        clock = new VirtualClock();
        timers = new TimerScheduler(clock, "test");
    }

    @AfterEach
    void tearDown() { timers.close(); }

    @Test
    void plicClaimCompleteThresholdAndContexts() {
        Plic plic = new Plic(harts);
        plic.write(4 * 10, 4, 3);                   // priority of source 10
        plic.write(0x2000 + 0x80 * 3, 4, 1 << 10);  // enable for context 3 = hart 1 S-mode
        plic.line(10).raise();
        assertEquals(1L << 9, harts.get(1).csr(MIP) & (1L << 9), "SEIP of hart 1");
        assertEquals(0, harts.get(0).csr(MIP));
        assertEquals(1 << 10, plic.read(0x1000, 4), "pending bit");
        plic.write(0x200000 + 0x1000 * 3, 4, 3);    // threshold 3 masks priority 3
        assertEquals(0, harts.get(1).csr(MIP) & (1L << 9));
        plic.write(0x200000 + 0x1000 * 3, 4, 0);
        assertEquals(10, plic.read(0x200004 + 0x1000 * 3, 4), "claim");
        assertEquals(0, harts.get(1).csr(MIP) & (1L << 9), "claimed: no longer pending");
        assertEquals(0, plic.read(0x200004 + 0x1000 * 3, 4), "nothing left to claim");
        plic.write(0x200004 + 0x1000 * 3, 4, 10);   // complete while the line is still high: pending again
        assertEquals(1L << 9, harts.get(1).csr(MIP) & (1L << 9));
        plic.line(10).lower();
        assertEquals(0, harts.get(1).csr(MIP) & (1L << 9));
    }

    @Test
    void clintSoftwareAndTimerInterrupts() throws Exception {
        List<Hart> hs = new ArrayList<>(harts);
        Clint clint = new Clint(hs, 2, clock, timers);
        clint.write(4, 4, 1);
        assertEquals(1L << 3, harts.get(1).csr(MIP) & (1L << 3), "msip of hart 1");
        clint.write(4, 4, 0);
        assertEquals(0, harts.get(1).csr(MIP) & (1L << 3));
        clock.run();
        clint.write(0x4000, 8, 0);                  // mtimecmp 0 ≤ mtime: MTIP at once
        assertEquals(1L << 7, harts.get(0).csr(MIP) & (1L << 7));
        long deadline = clint.mtime() + 1_000_000;  // 100 ms ahead
        clint.write(0x4000, 8, deadline);
        assertEquals(0, harts.get(0).csr(MIP) & (1L << 7));
        for (int i = 0; i < 400 && (harts.get(0).csr(MIP) & (1L << 7)) == 0; i++) Thread.sleep(5);
        assertEquals(1L << 7, harts.get(0).csr(MIP) & (1L << 7), "timer fired");
        assertTrue(clint.read(0xbff8, 8) >= deadline);
    }

    @Test
    void uartTransmitsReceivesAndInterrupts() {
        MachineConsole console = new MachineConsole();
        boolean[] irq = new boolean[1];
        Uart16550 uart = new Uart16550(console, level -> irq[0] = level);
        assertEquals(0x60, uart.read(5, 1), "LSR: THR empty, no data");
        uart.write(0, 1, 'h');
        uart.write(0, 1, 'i');
        assertEquals("hi", console.output());
        uart.write(1, 1, 1);                        // IER: RX data interrupt
        assertFalse(irq[0]);
        console.send("x");
        assertTrue(irq[0]);
        assertEquals(0x04, uart.read(2, 1) & 0x0f, "IIR: RX data");
        assertEquals(0x61, uart.read(5, 1), "LSR: data ready");
        assertEquals('x', uart.read(0, 1));
        assertFalse(irq[0]);
        uart.write(1, 1, 2);                        // IER: THR empty interrupt → raised at once
        assertTrue(irq[0]);
        assertEquals(0x02, uart.read(2, 1) & 0x0f, "IIR: THRE (reading clears it)");
        assertFalse(irq[0]);
        uart.write(3, 1, 0x80);                     // DLAB: divisor latch
        uart.write(0, 1, 3);
        assertEquals(3, uart.read(0, 1));
        assertEquals("hi", console.output());
    }

    @Test
    void sifiveTestFinisher() {
        List<String> calls = new ArrayList<>();
        MachineControl control = new MachineControl() {
            @Override public void requestExit(int code) { calls.add("exit " + code); }
            @Override public void requestReset() { calls.add("reset"); }
            @Override public void reportFault(String component, String reason) { calls.add("fault"); }
        };
        SifiveTest t = new SifiveTest(control);
        t.write(0, 4, 0x5555);
        t.write(0, 4, (42 << 16) | 0x3333);
        t.write(0, 4, 0x7777);
        t.write(0, 4, 0x1234);
        assertEquals(List.of("exit 0", "exit 42", "reset", "fault"), calls);
    }

    @Test
    void deviceTreeAddressMatchesQemu() {
        assertEquals(0x87e0_0000L, VirtDeviceTree.address(0x8000_0000L, 128L << 20, 0x107e));
        assertEquals(0xbfe0_0000L, VirtDeviceTree.address(0x8000_0000L, 2L << 30, 0x2000)); // capped at 3 GiB
    }
}
