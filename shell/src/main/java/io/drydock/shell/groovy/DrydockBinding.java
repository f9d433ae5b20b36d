package io.drydock.shell.groovy;

import groovy.lang.Binding;
import io.drydock.shell.MachineSelection;
import io.drydock.shell.dsl.MachineDsl;

/** A session's variables, plus the machine DSL and the machine selection the script base class reaches through it. */
public final class DrydockBinding extends Binding {
    private final MachineDsl dsl;
    private final MachineSelection machines;

    public DrydockBinding(MachineDsl dsl, MachineSelection machines) {
        this.dsl = dsl;
        this.machines = machines;
    }

    public MachineDsl dsl() { return dsl; }

    /** The session's machines and the current one, or null outside a session. */
    public MachineSelection machines() { return machines; }
}
