package io.drydock.pci;

/**
 * The bytes of one function's configuration space (PCI Local Bus 3.0 §6.1; 256 bytes, or 4096 for PCI
 * Express) with, per byte, the bits the driver may write and the bits it clears by writing 1 (status
 * error bits), as QEMU models it (wmask, w1cmask). Registers the function computes on the fly (BAR
 * decoding, INTx status, the virtio PCI_CFG window) are layered on top by {@link PciFunction}.
 * Not thread-safe: the host serialises configuration accesses.
 */
final class ConfigSpace {
    // PCI 3.0 §6.1 header offsets (type 0)
    static final int VENDOR_ID = 0x00, DEVICE_ID = 0x02, COMMAND = 0x04, STATUS = 0x06, REVISION = 0x08,
            CLASS_PROG = 0x09, CACHE_LINE = 0x0c, HEADER_TYPE = 0x0e, BAR0 = 0x10, SUBSYSTEM_VENDOR = 0x2c,
            SUBSYSTEM_ID = 0x2e, CAPABILITIES = 0x34, INTERRUPT_LINE = 0x3c, INTERRUPT_PIN = 0x3d;
    static final int CMD_IO = 1, CMD_MEMORY = 2, CMD_MASTER = 4, CMD_PARITY = 0x40, CMD_SERR = 0x100, CMD_INTX_DISABLE = 0x400;
    static final int STATUS_INTERRUPT = 0x08, STATUS_CAP_LIST = 0x10;
    /** Status bits the driver clears by writing 1: parity, system error, master/target aborts (PCI 3.0 §6.2.3). */
    static final int STATUS_W1C = 0xf900;
    static final int FIRST_CAPABILITY = 0x40;

    private final byte[] data;
    private final byte[] wmask;
    private final byte[] w1c;
    private int nextCapability = FIRST_CAPABILITY;

    ConfigSpace(int size) {
        data = new byte[size];
        wmask = new byte[size];
        w1c = new byte[size];
        set16Mask(COMMAND, CMD_IO | CMD_MEMORY | CMD_MASTER | CMD_PARITY | CMD_SERR | CMD_INTX_DISABLE);
        w1c[STATUS] = (byte) STATUS_W1C;
        w1c[STATUS + 1] = (byte) (STATUS_W1C >>> 8);
        wmask[CACHE_LINE] = (byte) 0xff;
        wmask[INTERRUPT_LINE] = (byte) 0xff;
    }

    int size() { return data.length; }

    /** A little-endian read of 1–4 bytes; the caller checked the range. */
    int read(int offset, int size) {
        int v = 0;
        for (int i = size - 1; i >= 0; i--) v = v << 8 | (data[offset + i] & 0xff);
        return v;
    }

    /** A driver write: only writable bits change, write-1-to-clear bits clear. */
    void write(int offset, int size, int value) {
        for (int i = 0; i < size; i++) {
            int b = value >>> (8 * i) & 0xff;
            int at = offset + i;
            int w = wmask[at] & 0xff, c = w1c[at] & 0xff;
            int old = data[at] & 0xff;
            data[at] = (byte) ((old & ~w | b & w) & ~(b & c));
        }
    }

    /** A copy of the bytes (the power-on image, or a dump). */
    byte[] snapshot() { return data.clone(); }

    /** Puts back a {@link #snapshot} (reset). */
    void restore(byte[] image) { System.arraycopy(image, 0, data, 0, data.length); }

    // ---- device-side setup ----

    void set8(int offset, int v) { data[offset] = (byte) v; }

    void set16(int offset, int v) {
        set8(offset, v);
        set8(offset + 1, v >>> 8);
    }

    void set32(int offset, int v) {
        set16(offset, v);
        set16(offset + 2, v >>> 16);
    }

    void set8Mask(int offset, int mask) { wmask[offset] = (byte) mask; }

    void set16Mask(int offset, int mask) {
        wmask[offset] = (byte) mask;
        wmask[offset + 1] = (byte) (mask >>> 8);
    }

    void set32Mask(int offset, int mask) {
        set16Mask(offset, mask);
        set16Mask(offset + 2, mask >>> 16);
    }

    /**
     * Allocates {@code length} bytes for a capability (4-aligned, after the previous one) and links it at
     * the head of the list, as QEMU's pci_add_capability does — so the list runs from the newest to the
     * oldest. Returns its offset.
     */
    int addCapability(int id, int length) {
        int offset = nextCapability;
        if (offset + length > 256) throw new IllegalStateException("capability 0x" + Integer.toHexString(id) + " does not fit");
        nextCapability = (offset + length + 3) & ~3;
        set8(offset, id);
        set8(offset + 1, data[CAPABILITIES] & 0xff);
        set8(CAPABILITIES, offset);
        set16(STATUS, read(STATUS, 2) | STATUS_CAP_LIST);
        return offset;
    }

    /** Moves the next capability to {@code offset} (to mirror QEMU's layout, e.g. PCI_CFG at 0x84). */
    void skipCapabilitiesTo(int offset) {
        if (offset < nextCapability) throw new IllegalStateException("capability offset 0x" + Integer.toHexString(offset) + " already used");
        nextCapability = offset;
    }
}
