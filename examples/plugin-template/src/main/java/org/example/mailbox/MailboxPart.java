package org.example.mailbox;

import io.drydock.kernel.irq.InterruptController;
import io.drydock.kernel.irq.InterruptLine;
import io.drydock.kernel.machine.MachineAssembly;
import io.drydock.kernel.machine.MachinePart;

/** The mailbox as a part of a machine: maps the device on the bus and wires its interrupt. */
public final class MailboxPart implements MachinePart {
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
        InterruptLine line = InterruptLine.NONE;
        if (config.irq() != 0) {
            line = a.services().require(InterruptController.class, config.name()).line(config.irq());
        }
        device = new MailboxDevice(line, a.metrics().counter(config.name() + ".doorbells", "doorbell rings"));
        a.memoryMap().addDevice(config.name(), config.base(), MailboxDevice.SIZE, device);
    }
}
