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

    /** The current machine: the one {@code use m2} chose, else the newest built; null before any. */
    Machine currentMachine();

    /**
     * The machine a helper was asked about: {@code which} is a machine of this session or its name, or null
     * for the current one — so every helper can take an optional machine argument ({@code lspci(m2)}).
     *
     * @throws IllegalArgumentException when there is no such machine (the message names the session's machines)
     */
    default Machine machine(Object which) {
        if (which == null) {
            Machine m = currentMachine();
            if (m == null) throw new IllegalArgumentException("no machine yet: build one with m = machine { ... }");
            return m;
        }
        if (which instanceof Machine m) return m;
        if (which instanceof CharSequence name) {
            for (Machine m : machines()) if (m.name().contentEquals(name)) return m;
            throw new IllegalArgumentException("no machine named '" + name + "'");
        }
        throw new IllegalArgumentException("not a machine: " + which);
    }

    /** Every extension of {@code type} from every started plugin (and the shell's own). */
    <T> List<T> extensions(Class<T> type);
}
