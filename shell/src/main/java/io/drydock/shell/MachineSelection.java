package io.drydock.shell;

import io.drydock.kernel.machine.ConsoleTerminal;
import io.drydock.kernel.machine.Machine;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The machines a session built and which one is current: the newest built, until {@code use m2} picks
 * another. The helpers ({@code hart}, {@code lspci}, {@code :metrics} ...) act on the current machine
 * when not given one. Thread-safe (the REPL's worker builds, completion and commands read).
 */
public final class MachineSelection {
    private final List<Machine> machines = new CopyOnWriteArrayList<>();
    private volatile Machine current;
    private volatile ConsoleTerminal terminal;

    /** A machine was built: it joins the list and becomes current. */
    public void built(Machine m) {
        machines.add(m);
        if (terminal != null) m.console().terminal(terminal);
        current = m;
    }

    /** The terminal {@code m.console().attach()} uses, for machines built from now on and those already built. */
    public void terminal(ConsoleTerminal t) {
        terminal = t;
        for (Machine m : machines) m.console().terminal(t);
    }

    public List<Machine> all() { return List.copyOf(machines); }

    public Machine current() { return current; }

    /**
     * {@code use m2} / {@code use 'm2'}: makes a machine of this session current and returns it.
     *
     * @throws IllegalArgumentException for anything else, naming the session's machines
     */
    public Machine use(Object which) {
        Machine m = find(which);
        current = m;
        return m;
    }

    /** A machine of this session by value or name; null means the current one. */
    public Machine find(Object which) {
        return switch (which) {
            case null -> {
                Machine c = current;
                if (c == null) throw new IllegalArgumentException("no machine yet: build one with m = machine { ... }");
                yield c;
            }
            case Machine m -> {
                if (!machines.contains(m)) throw new IllegalArgumentException("machine '" + m.name() + "' was not built in this session");
                yield m;
            }
            case CharSequence name -> {
                for (Machine m : machines) if (m.name().equals(name.toString())) yield m;
                throw new IllegalArgumentException("no machine named '" + name + "' (" + names() + ")");
            }
            default -> throw new IllegalArgumentException("not a machine: " + which.getClass().getSimpleName()
                    + " (give a machine or its name: " + names() + ")");
        };
    }

    private String names() {
        if (machines.isEmpty()) return "none built yet";
        StringBuilder sb = new StringBuilder("machines: ");
        for (Machine m : machines) sb.append(sb.length() > 10 ? ", " : "").append(m.name());
        return sb.toString();
    }
}
