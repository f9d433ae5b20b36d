package io.drydock.pci;

import io.drydock.kernel.machine.Services;

import java.util.HashSet;
import java.util.Set;

/**
 * Unique virtio device names within one machine ("echo", "echo-2", …) for metrics and faults, shared by
 * the PCI and MMIO transports through the machine's services.
 */
final class VirtioNames {
    private final Set<String> used = new HashSet<>();

    static VirtioNames of(Services services) {
        synchronized (services) {
            return services.find(VirtioNames.class).orElseGet(() -> {
                VirtioNames n = new VirtioNames();
                services.add(VirtioNames.class, n);
                return n;
            });
        }
    }

    synchronized String claim(String base) {
        String name = base;
        for (int i = 2; !used.add(name); i++) name = base + "-" + i;
        return name;
    }
}
