package io.drydock.kernel.machine;

import java.util.List;

/**
 * The plugins' extensions as the parts of one machine see them while they assemble: a part of one plugin
 * finds the implementation another plugin contributes of an extension point it defines (plugin-virtiofs's
 * {@code virtioFs ..., dax: SIZE} finds plugin-dax's window factory), without naming that plugin and without
 * any JVM-global registry. The shell backs it with PF4J's extension lookup (every started plugin's
 * extensions, created once); {@code scripts/run} with the plugins it loaded; tests with {@link #of}.
 *
 * <p>Set on the {@link MachineSpec} by whoever builds it, read through {@link MachineAssembly#extensions()}
 * on the assembling thread. Implementations are thread-safe.
 */
@FunctionalInterface
public interface Extensions {
    /** No plugins: every lookup is empty (a spec nobody gave extensions, e.g. a unit test's). */
    Extensions NONE = new Extensions() {
        @Override public <T> List<T> all(Class<T> type) { return List.of(); }
    };

    /** Every extension of {@code type}, in the order the plugins were started; empty when none. */
    <T> List<T> all(Class<T> type);

    /** The given objects as extensions, each of every type it is an instance of (tests, a flat class path). */
    static Extensions of(Object... extensions) {
        List<Object> list = List.of(extensions);
        return new Extensions() {
            @Override public <T> List<T> all(Class<T> type) {
                return list.stream().filter(type::isInstance).map(type::cast).toList();
            }
        };
    }
}
