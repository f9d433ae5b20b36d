package io.drydock.shell.groovy;

import groovy.lang.Binding;
import io.drydock.shell.dsl.MachineDsl;

/** A session's variables, plus the machine DSL the script base class reaches through it. */
public final class DrydockBinding extends Binding {
    private final MachineDsl dsl;

    public DrydockBinding(MachineDsl dsl) { this.dsl = dsl; }

    public MachineDsl dsl() { return dsl; }
}
