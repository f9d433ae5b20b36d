package io.drydock.riscv.virt;

import io.drydock.kernel.bus.BusDevice;
import io.drydock.kernel.machine.MachineControl;

/**
 * The sifive_test finisher at 0x100000 (QEMU hw/misc/sifive_test.c): a write at offset 0 with low 16 bits
 * 0x5555 exits with 0, 0x3333 exits with the high 16 bits as the code, 0x7777 resets; other values are
 * ignored. Reads return 0.
 */
public final class SifiveTest implements BusDevice {
    public static final long BASE = 0x10_0000L, SIZE = 0x1000;
    static final int FAIL = 0x3333, PASS = 0x5555, RESET = 0x7777;

    private final MachineControl control;

    public SifiveTest(MachineControl control) { this.control = control; }

    @Override public long read(long offset, int size) { return 0; }

    @Override public void write(long offset, int size, long value) {
        if (offset != 0) return;
        int status = (int) value & 0xffff, code = (int) (value >>> 16) & 0xffff;
        switch (status) {
            case PASS -> control.requestExit(0);
            case FAIL -> control.requestExit(code);
            case RESET -> control.requestReset();
            default -> control.reportFault("sifive_test", String.format("unknown finisher value 0x%x", value));
        }
    }
}
