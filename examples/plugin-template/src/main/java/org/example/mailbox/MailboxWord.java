package org.example.mailbox;

import io.drydock.kernel.machine.MachinePart;
import io.drydock.kernel.machine.Options;
import io.drydock.kernel.spi.MachineWord;
import org.pf4j.Extension;

import java.util.List;

/** The DSL word: {@code machine { riscv harts: 1; mailbox base: 0x10002000, irq: 9 }}. */
@Extension
public final class MailboxWord implements MachineWord {
    @Override public String name() { return "mailbox"; }

    @Override public String help() { return "mailbox base: ADDR[, irq: N, name: 'mailbox'] — a mailbox device (example plugin)"; }

    @Override public MachinePart create(Options options, List<Object> args) {
        if (!args.isEmpty()) throw options.error("takes named options only, e.g. mailbox base: 0x10002000");
        return new MailboxPart(MailboxConfig.from(options));
    }
}
