package org.example.mailbox;

import io.drydock.kernel.fdt.DeviceTreeContributor;
import io.drydock.kernel.fdt.FdtBuilder;
import io.drydock.kernel.irq.InterruptController;
import io.drydock.kernel.irq.InterruptLine;
import io.drydock.kernel.machine.MachineAssembly;
import io.drydock.kernel.machine.MachinePart;

/**
 * The mailbox as a part of a machine: maps the device on the bus, wires its interrupt, and describes itself
 * in the board's device tree so a guest can find it without hard-coding the address — a node
 * {@code /soc/mailbox@10200000} with {@code compatible = "example,mailbox"}, {@code reg} and (when wired)
 * {@code interrupts} and {@code interrupt-parent}, as QEMU's virt board describes its own devices.
 */
public final class MailboxPart implements MachinePart, DeviceTreeContributor {
    /** The {@code compatible} string a guest driver matches. */
    public static final String COMPATIBLE = "example,mailbox";

    private final MailboxConfig config;
    private MailboxDevice device;

    public MailboxPart(MailboxConfig config) { this.config = config; }

    public MailboxConfig config() { return config; }

    /** The device, once assembled (null before). */
    public MailboxDevice device() { return device; }

    @Override public Phase phase() { return Phase.DEVICE; }

    @Override public String describe() {
        return String.format("%s at 0x%x%s", config.name(), config.base(), config.irq() == 0 ? "" : " irq " + config.irq());
    }

    @Override public void assemble(MachineAssembly a) {
        InterruptLine line = InterruptLine.none();
        if (config.irq() != 0) {
            line = a.services().require(InterruptController.class, config.name()).line(config.irq());
        }
        device = new MailboxDevice(line, a.metrics().counter(config.name() + ".doorbells", "doorbell rings"));
        a.memoryMap().addDevice(config.name(), config.base(), MailboxDevice.SIZE, device);
        // The board calls every DeviceTreeContributor service when it builds the tree at power-on.
        a.services().add(DeviceTreeContributor.class, this);
    }

    /** Devicetree spec 0.4 §2.2.1 node names: {@code name@unit-address}, the unit address being reg's first address. */
    @Override public void contribute(FdtBuilder fdt, int interruptParent) {
        FdtBuilder.Node n = fdt.root().child("soc").child(String.format("%s@%x", config.name(), config.base()));
        n.prop("compatible", COMPATIBLE);
        n.propLongs("reg", config.base(), MailboxDevice.SIZE);  // /soc has #address-cells = #size-cells = 2
        if (config.irq() != 0) {
            n.prop("interrupts", config.irq());
            n.prop("interrupt-parent", interruptParent);
        }
    }
}
