package org.example.ordered;

import io.drydock.kernel.spi.ShellCommand;
import io.drydock.kernel.spi.ShellContext;
import org.pf4j.Extension;

import java.util.List;

/** A command that only has a name and 2 ordinal (PluginHostTest: extensions sorted by ordinal). */
@Extension(ordinal = 2)
public class Later implements ShellCommand {
    @Override public String name() { return "later"; }

    @Override public String description() { return "ordinal 2 (test)"; }

    @Override public void execute(ShellContext context, List<String> args) {}
}
