package io.drydock.shell.plugin;

/**
 * One line of {@code :plugins}: a plugin that loaded, or a file in the plugins directory that did not.
 *
 * @param id      the plugin id, or the file name when no descriptor could be read
 * @param version the plugin version, or "?" when unknown
 * @param state   STARTED, FAILED, DISABLED, ... (PF4J's states), or BROKEN for a file that is no plugin
 * @param file    the jar, zip or directory it came from
 * @param problem why it failed or is disabled, or null when all is well
 */
public record PluginStatus(String id, String version, String state, String file, String problem) {
    public boolean ok() { return problem == null; }

    @Override public String toString() {
        return String.format("%-20s %-16s %-9s%s", id, version, state, problem == null ? "" : "  " + problem);
    }
}
