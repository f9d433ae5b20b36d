package io.drydock.kernel.virtio;

import java.util.List;

/** A virtio device's state at a moment, as {@code virtio()} prints it. */
public record VirtioSnapshot(String name, int deviceId, int status, long offeredFeatures, long driverFeatures,
                             int configGeneration, int isr, boolean active, String lastFault, long needsResetCount,
                             List<QueueSnapshot> queues) {
    @Override public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%s (device id %d): status 0x%02x %s, %s%n", name, deviceId, status,
                VirtioStatus.describe(status), active ? "active" : "inactive"));
        sb.append(String.format("  offered 0x%x: %s%n", offeredFeatures, VirtioFeatures.describe(offeredFeatures)));
        sb.append(String.format("  driver  0x%x: %s%n", driverFeatures, VirtioFeatures.describe(driverFeatures)));
        sb.append(String.format("  config generation %d, isr 0x%x, needs-reset count %d%n", configGeneration, isr, needsResetCount));
        if (lastFault != null) sb.append("  last fault: ").append(lastFault).append('\n');
        for (QueueSnapshot q : queues) sb.append("  ").append(q).append('\n');
        return sb.toString();
    }
}
