package org.example.mailbox;

import io.drydock.kernel.machine.Options;

/**
 * How a mailbox is placed in a machine, read from the DSL word's options
 * ({@code mailbox base: 0x10002000, irq: 9, name: 'mbox0'}).
 *
 * @param name the bus region's name, also the prefix of its metrics; default "mailbox"
 * @param base the guest-physical address of the registers; required (there is no safe default: the
 *             board decides what is free)
 * @param irq  the interrupt-controller source the doorbell raises; default 0 = not wired
 */
public record MailboxConfig(String name, long base, int irq) {
    public MailboxConfig {
        if (base < 0 || (base & 3) != 0) throw new IllegalArgumentException("mailbox: base must be a positive multiple of 4, was 0x" + Long.toHexString(base));
        if (irq < 0) throw new IllegalArgumentException("mailbox: irq must be 0 (none) or a source number, was " + irq);
    }

    /** Reads the options and rejects unknown ones (a typo is an error, not a silently ignored setting). */
    public static MailboxConfig from(Options o) {
        if (!o.has("base")) throw o.error("needs base: ADDRESS, e.g. mailbox base: 0x10002000");
        MailboxConfig c = new MailboxConfig(o.string("name", "mailbox"), o.bytes("base", 0), o.integer("irq", 0));
        o.finish();
        return c;
    }
}
