package io.drydock.dax;

import io.drydock.virtiofs.fuse.dax.DaxWindowFactory;
import org.pf4j.Plugin;

/**
 * The PF4J plugin class (Plugin-Class): announces the DAX window factory to plugin-virtiofs when the shell
 * starts this plugin and withdraws it at stop. plugin-virtiofs cannot look this plugin up itself (its class
 * loader does not see plugins that depend on it), so this plugin, which sees plugin-virtiofs, registers.
 */
public final class DaxPlugin extends Plugin {
    private final DaxFactory factory = new DaxFactory();

    @Override public void start() { DaxWindowFactory.register(factory); }

    @Override public void stop() { DaxWindowFactory.unregister(factory); }
}
