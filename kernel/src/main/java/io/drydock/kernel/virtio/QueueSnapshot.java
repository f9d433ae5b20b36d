package io.drydock.kernel.virtio;

/**
 * One queue's state at a moment, for inspection ({@code virtio()} in the shell). Ring fields read from guest
 * memory are -1 when unreadable or meaningless (the event fields without EVENT_IDX).
 *
 * @param size         the size the driver chose (0 when not configured)
 * @param maxSize      the device's maximum
 * @param enabled      queue_enable / QueueReady as the driver set it
 * @param availIdx     the driver's avail->idx as last read
 * @param lastAvail    the next available-ring slot the device will read ("last seen" + 1)
 * @param usedIdx      the device's used->idx
 * @param inFlight     chains popped and not yet completed
 * @param availFlags   avail->flags (bit 0 NO_INTERRUPT)
 * @param usedFlags    used->flags (bit 0 NO_NOTIFY)
 * @param usedEvent    used_event (EVENT_IDX)
 * @param availEvent   avail_event (EVENT_IDX)
 * @param notifying    whether the device currently wants notifications
 * @param broken       stopped by a guest error
 */
public record QueueSnapshot(int index, int size, int maxSize, boolean enabled, long desc, long avail, long used,
                            int availIdx, int lastAvail, int usedIdx, int inFlight, int availFlags, int usedFlags,
                            int usedEvent, int availEvent, boolean notifying, boolean broken,
                            long notifications, long interrupts, long chains) {
    /** A queue the driver configured (or not) but the device has not activated. */
    static QueueSnapshot inactive(int index, int size, int maxSize, boolean enabled, long desc, long avail, long used,
                                  QueueMetrics m) {
        return new QueueSnapshot(index, size, maxSize, enabled, desc, avail, used, -1, -1, -1, 0, -1, -1, -1, -1,
                false, false, m.notifications().get(), m.interrupts().get(), m.chains().get());
    }

    @Override public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("queue %d: size %d (max %d)%s%s", index, size, maxSize, enabled ? " enabled" : " disabled",
                broken ? " BROKEN" : ""));
        sb.append(String.format("%n    desc 0x%x avail 0x%x used 0x%x", desc, avail, used));
        if (lastAvail >= 0) {
            sb.append(String.format("%n    avail idx %d, last seen %d, used idx %d, in flight %d", availIdx,
                    (lastAvail - 1) & 0xffff, usedIdx, inFlight));
            sb.append(String.format("%n    avail flags 0x%x%s, used flags 0x%x%s", availFlags,
                    availFlags >= 0 && (availFlags & 1) != 0 ? " (NO_INTERRUPT)" : "", usedFlags,
                    usedFlags >= 0 && (usedFlags & 1) != 0 ? " (NO_NOTIFY)" : ""));
            if (usedEvent >= 0) sb.append(String.format(", used_event %d, avail_event %d", usedEvent, availEvent));
            sb.append(notifying ? ", notifications on" : ", notifications off");
        }
        sb.append(String.format("%n    %d notifications, %d interrupts, %d chains", notifications, interrupts, chains));
        return sb.toString();
    }
}
