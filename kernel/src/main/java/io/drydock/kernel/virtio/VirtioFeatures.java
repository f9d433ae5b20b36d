package io.drydock.kernel.virtio;

import java.util.ArrayList;
import java.util.List;

/**
 * Feature bit numbers of the virtio 1.2 specification (§6 "Reserved Feature Bits") that the core knows,
 * and helpers to test and print feature sets. Bits 0–23 (and 50–127) belong to the device type; the core
 * implements {@link #INDIRECT_DESC}, {@link #EVENT_IDX} and {@link #VERSION_1} of the transport range.
 */
public final class VirtioFeatures {
    private VirtioFeatures() {}

    /** virtio 1.2 §2.7.5.3: descriptors may point at indirect descriptor tables. */
    public static final int INDIRECT_DESC = 28;
    /** virtio 1.2 §2.7.7, §2.7.10: used_event / avail_event suppression. */
    public static final int EVENT_IDX = 29;
    /** virtio 1.2 §6: compliance with version 1 of the spec (modern devices); the core requires it. */
    public static final int VERSION_1 = 32;
    public static final int ACCESS_PLATFORM = 33;
    public static final int RING_PACKED = 34;
    public static final int IN_ORDER = 35;
    public static final int ORDER_PLATFORM = 36;
    public static final int SR_IOV = 37;
    public static final int NOTIFICATION_DATA = 38;
    public static final int NOTIF_CONFIG_DATA = 39;
    public static final int RING_RESET = 40;

    /** The transport feature bits this core implements and offers when the device lists them. */
    public static final long CORE_SUPPORTED = bit(INDIRECT_DESC) | bit(EVENT_IDX) | bit(VERSION_1);

    /** Bits 24..49: reserved for the queue and transport (virtio 1.2 §6). */
    public static final long TRANSPORT_RANGE = ((1L << 50) - 1) & ~((1L << 24) - 1);

    /** What a device usually offers from the transport range: VERSION_1, INDIRECT_DESC, EVENT_IDX (as QEMU's devices). */
    public static final long RING_DEFAULT = CORE_SUPPORTED;

    public static long bit(int n) { return 1L << n; }

    public static boolean has(long features, int bit) { return (features & (1L << bit)) != 0; }

    /** "VERSION_1 EVENT_IDX INDIRECT_DESC 0" — names for the bits the core knows, numbers for the rest. */
    public static String describe(long features) {
        List<String> out = new ArrayList<>();
        for (int b = 63; b >= 0; b--) {
            if (!has(features, b)) continue;
            out.add(switch (b) {
                case INDIRECT_DESC -> "INDIRECT_DESC";
                case EVENT_IDX -> "EVENT_IDX";
                case VERSION_1 -> "VERSION_1";
                case ACCESS_PLATFORM -> "ACCESS_PLATFORM";
                case RING_PACKED -> "RING_PACKED";
                case IN_ORDER -> "IN_ORDER";
                case ORDER_PLATFORM -> "ORDER_PLATFORM";
                case SR_IOV -> "SR_IOV";
                case NOTIFICATION_DATA -> "NOTIFICATION_DATA";
                case NOTIF_CONFIG_DATA -> "NOTIF_CONFIG_DATA";
                case RING_RESET -> "RING_RESET";
                default -> "bit" + b;
            });
        }
        return out.isEmpty() ? "none" : String.join(" ", out);
    }
}
