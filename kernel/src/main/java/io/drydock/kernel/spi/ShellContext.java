package io.drydock.kernel.spi;

import io.drydock.kernel.machine.Machine;

import java.io.PrintWriter;
import java.util.List;

/**
 * What the shell offers commands and script bindings: its output, the session's variables, the machines
 * built in this session, and the other plugins' extensions. An app-owned view; PF4J stays hidden.
 */
public interface ShellContext {
    PrintWriter out();

    PrintWriter err();

    /** True at an interactive terminal (progress bars, colours); false in script mode or when piped. */
    boolean interactive();

    /** A variable of the Groovy session, or null. */
    Object variable(String name);

    void setVariable(String name, Object value);

    /** Machines built in this session, oldest first. */
    List<Machine> machines();

    /** The most recently built machine that is not closed, or null. */
    Machine currentMachine();

    /** Every extension of {@code type} from every started plugin (and the shell's own). */
    <T> List<T> extensions(Class<T> type);
}
