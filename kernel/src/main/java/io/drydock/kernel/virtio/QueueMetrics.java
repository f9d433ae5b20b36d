package io.drydock.kernel.virtio;

import io.drydock.kernel.metrics.Counter;
import io.drydock.kernel.metrics.MetricsRegistry;

/**
 * One queue's counters, "virtq.DEVICE.N.*": notifications (the driver's notify writes, each a guest MMIO
 * exit), interrupts raised for it, chains completed, and bytes the device read from and wrote to its
 * buffers. Registered once per queue; they survive device resets.
 */
public record QueueMetrics(Counter notifications, Counter interrupts, Counter chains, Counter bytesRead,
                           Counter bytesWritten) {
    public static QueueMetrics register(MetricsRegistry metrics, String device, int queue) {
        String p = "virtq." + device + "." + queue + ".";
        return new QueueMetrics(
                metrics.counter(p + "notifications", "driver notifications (guest MMIO exits) for queue " + queue + " of " + device),
                metrics.counter(p + "interrupts", "used-buffer interrupts raised for queue " + queue + " of " + device),
                metrics.counter(p + "chains", "descriptor chains completed on queue " + queue + " of " + device),
                metrics.counter(p + "bytes_read", "bytes of readable buffers the device consumed on queue " + queue + " of " + device),
                metrics.counter(p + "bytes_written", "bytes the device wrote (used lengths) on queue " + queue + " of " + device));
    }
}
