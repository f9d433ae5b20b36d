package io.drydock.pci;

import io.drydock.kernel.irq.InterruptLine;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static io.drydock.pci.ConfigSpace.BAR0;
import static io.drydock.pci.ConfigSpace.CMD_INTX_DISABLE;
import static io.drydock.pci.ConfigSpace.CMD_MEMORY;
import static io.drydock.pci.ConfigSpace.COMMAND;
import static io.drydock.pci.ConfigSpace.STATUS;
import static io.drydock.pci.ConfigSpace.STATUS_INTERRUPT;

/**
 * A type-0 PCI function (PCI Local Bus 3.0 §6.1, header type 0): identity and class registers,
 * command/status, memory BARs with sizing by all-ones writes (§6.2.5.1), a capability list, interrupt
 * line/pin and INTx with the Interrupt Disable bit and Interrupt Status bit (§6.2.2, §6.2.3). Subclasses add
 * capabilities and behaviour. The {@link PciHost} calls the configuration methods under its lock; the INTx
 * line may be driven from any thread.
 */
public abstract class PciFunction {
    /** What QEMU gives every device unless overridden: PCI_SUBVENDOR_ID_REDHAT_QUMRANET / PCI_SUBDEVICE_ID_QEMU. */
    public static final int QEMU_SUBSYSTEM_VENDOR = 0x1af4, QEMU_SUBSYSTEM_ID = 0x1100;

    final ConfigSpace config;
    private final String name;
    private final Bar[] bars = new Bar[6];
    private final List<Capability> capabilities = new ArrayList<>();
    private byte[] powerOn;
    private PciAddress address;
    private IntxRouter router;
    private boolean intxLevel;

    /** A capability as lspci decodes it. */
    record Capability(int offset, int id, String description) {}

    /**
     * @param configSize 256, or 4096 for a PCI Express function
     * @param classCode  class, subclass, prog-if (0x060000 host bridge)
     * @param pin        Interrupt Pin: 0 none, 1 INTA … 4 INTD
     */
    protected PciFunction(String name, int configSize, int vendor, int device, int classCode, int revision, int pin) {
        this.name = name;
        this.config = new ConfigSpace(configSize);
        config.set16(ConfigSpace.VENDOR_ID, vendor);
        config.set16(ConfigSpace.DEVICE_ID, device);
        config.set8(ConfigSpace.REVISION, revision);
        config.set8(ConfigSpace.CLASS_PROG, classCode);
        config.set16(ConfigSpace.CLASS_PROG + 1, classCode >>> 8);
        config.set16(ConfigSpace.SUBSYSTEM_VENDOR, QEMU_SUBSYSTEM_VENDOR);
        config.set16(ConfigSpace.SUBSYSTEM_ID, QEMU_SUBSYSTEM_ID);
        config.set8(ConfigSpace.INTERRUPT_PIN, pin);
    }

    public String name() { return name; }

    public PciAddress address() { return address; }

    public int vendorId() { return config.read(ConfigSpace.VENDOR_ID, 2); }

    public int deviceId() { return config.read(ConfigSpace.DEVICE_ID, 2); }

    public int classCode() { return config.read(ConfigSpace.CLASS_PROG, 3); }

    // ---- building (before plugging) ----

    /** Declares a memory BAR; its address bits become writable, its flags read-only. */
    protected final void addBar(Bar bar) {
        if (bars[bar.index()] != null || (bar.is64() && bars[bar.index() + 1] != null)) {
            throw new IllegalStateException(name + ": BAR " + bar.index() + " declared twice");
        }
        bars[bar.index()] = bar;
        int off = BAR0 + 4 * bar.index();
        config.set32(off, bar.flags());
        config.set32Mask(off, (int) (~(bar.size() - 1) & 0xffff_fff0L));
        if (bar.is64()) config.set32Mask(off + 4, (int) (~(bar.size() - 1) >>> 32));
    }

    /** Adds a capability of {@code length} bytes at the list head; returns its offset for filling in. */
    protected final int addCapability(int id, int length, String description) {
        int offset = config.addCapability(id, length);
        capabilities.add(new Capability(offset, id, description));
        return offset;
    }

    /** Adds a PCI Express capability (id 0x10, version 2, Endpoint; PCIe Base 4.0 §7.5.3). */
    protected final void addExpressCapability() {
        if (config.size() < 4096) throw new IllegalStateException(name + ": a PCI Express function has 4 KiB of configuration space");
        int at = addCapability(0x10, 0x3c, "Express (v2) Endpoint");
        config.set16(at + 2, 0x0002);          // capability version 2, device/port type 0 = Endpoint
        config.set32(at + 4, 0x0000_8000);     // Device Capabilities: role-based error reporting, max payload 128
        config.set32(at + 0xc, 0x0000_0011);   // Link Capabilities: x1, 2.5 GT/s
        config.set16(at + 0x12, 0x0011);       // Link Status: x1, 2.5 GT/s
        config.set16Mask(at + 8, 0x7fff);      // Device Control is the driver's
        config.set16Mask(at + 0x10, 0x0fff);   // Link Control
    }

    // ---- plugging ----

    void plug(PciAddress address, IntxRouter router) {
        this.address = address;
        this.router = router;
        this.powerOn = config.snapshot();
    }

    /** Back to the power-on configuration (machine reset); subclasses reset their device too. */
    protected void reset() {
        config.restore(powerOn);
        setIntx(false);
    }

    // ---- configuration access (under the host's lock) ----

    /** A configuration read of 1, 2 or 4 bytes inside the space (checked by the host). */
    protected int configRead(int offset, int size) {
        int v = config.read(offset, size);
        if (overlaps(offset, size, STATUS, 1) && intxLevel()) v |= STATUS_INTERRUPT << (8 * (STATUS - offset));
        return v;
    }

    /** A configuration write; the host then re-maps BARs when {@link #affectsBars} says so. */
    protected void configWrite(int offset, int size, int value) {
        config.write(offset, size, value);
        if (overlaps(offset, size, COMMAND, 2)) updateIntx();
    }

    static boolean affectsBars(int offset, int size) {
        return overlaps(offset, size, COMMAND, 1) || overlaps(offset, size, BAR0, 24);
    }

    static boolean overlaps(int offset, int size, int start, int length) {
        return offset < start + length && start < offset + size;
    }

    // ---- BARs ----

    public List<Bar> bars() {
        List<Bar> out = new ArrayList<>();
        for (Bar b : bars) if (b != null) out.add(b);
        return Collections.unmodifiableList(out);
    }

    boolean memoryEnabled() { return (config.read(COMMAND, 2) & CMD_MEMORY) != 0; }

    /** The address programmed in {@code bar} (flags masked off). */
    long barAddress(Bar bar) {
        int off = BAR0 + 4 * bar.index();
        long low = config.read(off, 4) & 0xffff_fff0L;
        return bar.is64() ? low | (long) config.read(off + 4, 4) << 32 : low;
    }

    /** Programs {@code bar} as a driver would (preassignment). */
    void setBarAddress(Bar bar, long address) {
        int off = BAR0 + 4 * bar.index();
        config.write(off, 4, (int) address);
        if (bar.is64()) config.write(off + 4, 4, (int) (address >>> 32));
    }

    void setCommandBits(int bits) { config.write(COMMAND, 2, config.read(COMMAND, 2) | bits); }

    // ---- INTx ----

    /** The line the function's device drives: INTx through the router, gated by Interrupt Disable. */
    protected final InterruptLine intx() { return this::setIntx; }

    private final Object intxLock = new Object();

    private void setIntx(boolean asserted) {
        synchronized (intxLock) {
            intxLevel = asserted;
            drive();
        }
    }

    private void updateIntx() {
        synchronized (intxLock) {
            drive();
        }
    }

    private void drive() {
        if (router == null) return;
        boolean disabled = (config.read(COMMAND, 2) & CMD_INTX_DISABLE) != 0;
        router.set(address, config.read(ConfigSpace.INTERRUPT_PIN, 1), intxLevel && !disabled);
    }

    boolean intxLevel() {
        synchronized (intxLock) {
            return intxLevel;
        }
    }

    int interruptPin() { return config.read(ConfigSpace.INTERRUPT_PIN, 1); }

    // ---- inspection ----

    List<Capability> capabilities() { return List.copyOf(capabilities); }

    /** Extra lines lspci prints under a capability (the virtio cfg_type decoding); none by default. */
    protected List<String> describeCapability(int offset) { return List.of(); }

    /** Raw configuration bytes (for lspci -x style dumps and tests). */
    byte[] dump() { return config.snapshot(); }

    @Override public String toString() {
        return (address == null ? "(unplugged)" : address.toString()) + " " + name + " " + bars();
    }

}
