package org.example.fakeboard;

import io.drydock.kernel.spi.ScriptBinding;
import io.drydock.kernel.spi.ShellContext;

import java.util.Map;

/** Binds {@code adder}: {@code adder(2, 3)} is 5 (a plain Java object with a call method). */
public class FakeBinding implements ScriptBinding {
    public static final class Adder {
        public int call(int a, int b) { return a + b; }
    }

    @Override public Map<String, Object> bindings(ShellContext context) { return Map.of("adder", new Adder()); }

    @Override public Map<String, String> help() { return Map.of("adder", "adder(a, b) — adds (test)"); }
}
