package io.drydock.shell.groovy;

import groovy.lang.Closure;
import groovy.lang.MissingMethodException;
import groovy.lang.Script;
import io.drydock.kernel.machine.Machine;
import io.drydock.kernel.machine.MachineSpec;
import io.drydock.shell.dsl.MachineDsl;
import org.codehaus.groovy.runtime.InvokerHelper;

import java.util.Map;

/**
 * The base class of every script the shell compiles: the functions every session has ({@code machine},
 * {@code machineSpec}), and calls to binding values that are not closures but have a {@code call} method
 * ({@code disasm(0x80000000, 8)} → {@code disasm.call(...)}), so plugins' script bindings need no Groovy.
 */
public abstract class DrydockScript extends Script {
    /** {@code machine { riscv harts: 1; memory 256.MiB }}: builds a machine (created, not started). */
    public Machine machine(Closure<?> body) { return dsl().machine(Map.of(), body); }

    /** {@code machine(name: 'm1') { ... }}. */
    public Machine machine(Map<String, ?> options, Closure<?> body) { return dsl().machine(options, body); }

    /** Like {@code machine}, but returns the spec without building it: shows what the words contribute. */
    public MachineSpec machineSpec(Closure<?> body) { return dsl().spec(Map.of(), body); }

    /**
     * {@code use m2} or {@code use 'm2'}: makes that machine current, so the helpers ({@code hart},
     * {@code lspci}, {@code :metrics} ...) act on it when given no machine. Returns it.
     */
    public Machine use(Object machine) {
        if (getBinding() instanceof DrydockBinding b && b.machines() != null) return b.machines().use(machine);
        throw new IllegalStateException("machine selection is not available in this session");
    }

    /** print and println of a duration read "5 s", not ISO-8601's "PT5S" (inside "${...}" too: {@link DurationText}). */
    @Override public void println(Object value) { super.println(DurationText.text(value)); }

    @Override public void print(Object value) { super.print(DurationText.text(value)); }

    private MachineDsl dsl() {
        if (getBinding() instanceof DrydockBinding b && b.dsl() != null) return b.dsl();
        throw new IllegalStateException("the machine DSL is not available in this session");
    }

    @Override public Object invokeMethod(String name, Object args) {
        try {
            return super.invokeMethod(name, args);
        } catch (MissingMethodException e) {
            if (!name.equals(e.getMethod()) || !getBinding().hasVariable(name)) throw e;
            Object value = getBinding().getVariable(name);
            if (value == null || value instanceof Closure) throw e; // Script already tried closures
            return InvokerHelper.invokeMethod(value, "call", args);
        }
    }
}
