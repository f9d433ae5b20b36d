package io.drydock.kernel.spi;

import org.pf4j.ExtensionPoint;

import java.util.Map;

/**
 * Names a plugin adds to every Groovy session: objects and functions for scripts. A value with a public
 * {@code call(...)} method can be called like a function ({@code disasm(0x80000000, 8)} calls
 * {@code disasm.call(0x80000000, 8)}), so plugins need no Groovy dependency.
 */
public interface ScriptBinding extends ExtensionPoint {
    /** name → value; called once per session, after the shell context exists. */
    Map<String, Object> bindings(ShellContext context);

    /** Lines for {@code :help}, one per name: "disasm(addr, n) — disassemble n instructions". */
    Map<String, String> help();
}
