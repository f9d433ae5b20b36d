package io.drydock.kernel.machine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the parts of one machine offer each other, by type: the board's {@code InterruptController}, the
 * PCI host's device slots, the device-tree contributors. Filled during assembly; read-only afterwards
 * (reads are then safe from any thread).
 */
public final class Services {
    private final Map<Class<?>, List<Object>> byType = new LinkedHashMap<>();

    /** Adds {@code service} under {@code type}; several of one type are allowed (see {@link #all}). */
    public synchronized <T> void add(Class<T> type, T service) {
        byType.computeIfAbsent(type, t -> new ArrayList<>()).add(type.cast(service));
    }

    /** The first service of {@code type}, if any. */
    public synchronized <T> Optional<T> find(Class<T> type) {
        List<Object> l = byType.get(type);
        return l == null || l.isEmpty() ? Optional.empty() : Optional.of(type.cast(l.getFirst()));
    }

    /**
     * The first service of {@code type}.
     *
     * @param who the part asking, for the error: "virtioFs needs a InterruptController; ..."
     * @throws MachineException when there is none
     */
    public <T> T require(Class<T> type, String who) {
        return find(type).orElseThrow(() -> new MachineException(who + " needs a " + type.getSimpleName()
                + ", which no part of this machine provides (is a board, e.g. 'riscv', missing or listed after it?)"));
    }

    /** Every service of {@code type}, in the order added. */
    public synchronized <T> List<T> all(Class<T> type) {
        List<Object> l = byType.getOrDefault(type, List.of());
        return l.stream().map(type::cast).toList();
    }
}
