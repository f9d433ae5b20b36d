package io.drydock.kernel.virtio;

import java.util.ArrayList;
import java.util.List;

/** The device status bits of virtio 1.2 §2.1 and a printer for them. */
public final class VirtioStatus {
    private VirtioStatus() {}

    public static final int ACKNOWLEDGE = 1;
    public static final int DRIVER = 2;
    public static final int DRIVER_OK = 4;
    public static final int FEATURES_OK = 8;
    public static final int DEVICE_NEEDS_RESET = 64;
    public static final int FAILED = 128;

    /** "ACKNOWLEDGE DRIVER FEATURES_OK DRIVER_OK" for 0x0f; "reset" for 0. */
    public static String describe(int status) {
        if (status == 0) return "reset";
        List<String> out = new ArrayList<>();
        if ((status & ACKNOWLEDGE) != 0) out.add("ACKNOWLEDGE");
        if ((status & DRIVER) != 0) out.add("DRIVER");
        if ((status & FEATURES_OK) != 0) out.add("FEATURES_OK");
        if ((status & DRIVER_OK) != 0) out.add("DRIVER_OK");
        if ((status & DEVICE_NEEDS_RESET) != 0) out.add("NEEDS_RESET");
        if ((status & FAILED) != 0) out.add("FAILED");
        int other = status & ~(ACKNOWLEDGE | DRIVER | FEATURES_OK | DRIVER_OK | DEVICE_NEEDS_RESET | FAILED);
        if (other != 0) out.add(String.format("0x%x", other));
        return String.join(" ", out);
    }
}
