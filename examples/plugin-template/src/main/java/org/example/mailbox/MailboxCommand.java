package org.example.mailbox;

import io.drydock.kernel.bus.BusRegion;
import io.drydock.kernel.machine.Machine;
import io.drydock.kernel.spi.ShellCommand;
import io.drydock.kernel.spi.ShellContext;
import org.pf4j.Extension;

import java.util.List;

/** {@code :mailbox}: the registers of every mailbox of the newest machine. */
@Extension
public final class MailboxCommand implements ShellCommand {
    @Override public String name() { return "mailbox"; }

    @Override public String description() { return "registers of the newest machine's mailboxes (example plugin)"; }

    @Override public void execute(ShellContext context, List<String> args) {
        if (!args.isEmpty()) throw new IllegalArgumentException("takes no arguments");
        Machine m = context.currentMachine();
        if (m == null) throw new IllegalArgumentException("no machine yet");
        int found = 0;
        for (BusRegion r : m.bus().regions()) {
            if (r instanceof BusRegion.Device d && d.device() instanceof MailboxDevice mbox) {
                context.out().printf("%s at 0x%x: %s%n", d.name(), d.base(), mbox.describe());
                found++;
            }
        }
        if (found == 0) context.out().println("machine '" + m.name() + "' has no mailbox");
    }
}
