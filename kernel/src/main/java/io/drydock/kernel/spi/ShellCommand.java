package io.drydock.kernel.spi;

import org.pf4j.ExtensionPoint;

import java.util.List;

/**
 * A colon command of the shell ({@code :plugins}, {@code :log uart debug}), contributed by a plugin or
 * built in. Called on the shell's evaluation thread; may be interrupted by Ctrl-C (honour
 * {@link Thread#interrupted()} in long work). Throw {@link IllegalArgumentException} for bad arguments:
 * the shell prints the message and the usage line.
 */
public interface ShellCommand extends ExtensionPoint {
    /** Typed after the colon: "plugins". */
    String name();

    /** One line for {@code :help}. */
    String description();

    /** Argument synopsis, e.g. "COMPONENT LEVEL" ("" for none). */
    default String usage() { return ""; }

    void execute(ShellContext context, List<String> args) throws Exception;

    /** Candidates for the word being typed, given the words before it. */
    default List<String> complete(ShellContext context, List<String> argsSoFar) { return List.of(); }
}
