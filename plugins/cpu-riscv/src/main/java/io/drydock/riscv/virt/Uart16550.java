package io.drydock.riscv.virt;

import io.drydock.kernel.bus.BusDevice;
import io.drydock.kernel.irq.InterruptLine;
import io.drydock.kernel.machine.MachineConsole;

/**
 * An ns16550a UART (byte registers, reg-shift 0) connected to the machine console: THR/RBR, IER, IIR/FCR,
 * LCR, MCR, LSR, MSR, SCR and the divisor latch. Transmission is instantaneous (THRE and TEMT always set);
 * the receive FIFO is the console's input queue. Interrupts (level, on its PLIC line): received data
 * available (IER bit 0) and THR empty (IER bit 1; cleared by reading IIR or writing THR, re-raised at once
 * since the byte is gone), as in QEMU's serial.c. Loopback (MCR bit 4) is not modelled.
 */
public final class Uart16550 implements BusDevice {
    public static final long BASE = 0x1000_0000L, SIZE = 0x100;
    public static final int IRQ = 10;

    private final MachineConsole console;
    private final InterruptLine irq;
    private int ier, lcr, mcr, scr, dll = 12, dlm, fcr;
    private boolean thrPending;

    public Uart16550(MachineConsole console, InterruptLine irq) {
        this.console = console;
        this.irq = irq;
        console.onGuestInput(this::updateIrq);
    }

    public synchronized void reset() {
        ier = lcr = mcr = scr = dlm = fcr = 0;
        dll = 12;
        thrPending = false;
        updateIrq();
    }

    private boolean dlab() { return (lcr & 0x80) != 0; }

    /** IIR value: the highest-priority pending interrupt (RX data 0x4, THR empty 0x2, none 0x1). */
    private int iir() {
        int fifo = (fcr & 1) != 0 ? 0xc0 : 0;
        if ((ier & 1) != 0 && console.guestHasInput()) return fifo | 0x4;
        if ((ier & 2) != 0 && thrPending) return fifo | 0x2;
        return fifo | 0x1;
    }

    private synchronized void updateIrq() {
        irq.set((iir() & 1) == 0);
    }

    @Override public synchronized long read(long offset, int size) {
        int v = switch ((int) offset) {
            case 0 -> {
                if (dlab()) yield dll;
                int b = console.guestRead();
                yield b < 0 ? 0 : b;
            }
            case 1 -> dlab() ? dlm : ier;
            case 2 -> {
                int r = iir();
                if ((r & 0xf) == 0x2) thrPending = false; // reading IIR clears a THRE interrupt
                yield r;
            }
            case 3 -> lcr;
            case 4 -> mcr;
            case 5 -> 0x60 | (console.guestHasInput() ? 1 : 0); // TEMT | THRE | DR
            case 6 -> 0xb0; // DCD | DSR | CTS
            case 7 -> scr;
            default -> 0;
        };
        updateIrq();
        return v & 0xff;
    }

    @Override public synchronized void write(long offset, int size, long value) {
        int v = (int) value & 0xff;
        switch ((int) offset) {
            case 0 -> {
                if (dlab()) dll = v;
                else {
                    console.guestWrite(v);
                    thrPending = true; // the byte left at once: THR is empty again
                }
            }
            case 1 -> {
                if (dlab()) dlm = v;
                else {
                    if ((v & 2) != 0 && (ier & 2) == 0) thrPending = true; // enabling ETBEI with THR empty
                    ier = v & 0x0f;
                }
            }
            case 2 -> fcr = v & 0xc9; // FIFO enable, DMA mode, trigger level; clear bits self-clear
            case 3 -> lcr = v;
            case 4 -> mcr = v & 0x1f;
            case 7 -> scr = v;
            default -> { }
        }
        updateIrq();
    }
}
