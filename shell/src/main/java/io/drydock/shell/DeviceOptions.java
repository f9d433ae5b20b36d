package io.drydock.shell;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code scripts/run --device WORD[,KEY=VALUE...]}: any plugin's machine word on the command line, in the
 * spelling of QEMU's {@code -device} — {@code --device mailbox,base=0x10200000,irq=9} is the DSL's
 * {@code mailbox base: 0x10200000, irq: 9}. Repeatable; a third-party plugin's device needs no change to
 * scripts/run. Values that read as integers (decimal or 0x hex) are numbers, the others strings.
 */
final class DeviceOptions {
    final List<String> devices = new ArrayList<>();

    /** The option, for RunMain's table. */
    static CommandOptions<RunMain> options(CommandOptions<RunMain> o) {
        return o.value("--device", "WORD[,KEY=VALUE...]",
                "add a plugin's machine word with its options, like QEMU's -device (repeatable), e.g. mailbox,base=0x10200000,irq=9",
                (r, v) -> r.devices.devices.add(v));
    }

    /** A word and its options. */
    record Device(String word, Map<String, Object> options) {}

    List<Device> parsed() {
        List<Device> out = new ArrayList<>();
        for (String d : devices) out.add(parse(d));
        return out;
    }

    static Device parse(String spec) {
        String[] parts = spec.split(",", -1);
        String word = parts[0].trim();
        if (word.isEmpty()) throw new IllegalArgumentException("--device " + spec + ": give the word first, e.g. --device mailbox,base=0x10200000");
        Map<String, Object> options = new LinkedHashMap<>();
        for (int i = 1; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException("--device " + spec + ": '" + parts[i] + "' is not KEY=VALUE");
            String key = parts[i].substring(0, eq).trim();
            if (options.containsKey(key)) throw new IllegalArgumentException("--device " + spec + ": " + key + " given twice");
            options.put(key, value(parts[i].substring(eq + 1).trim()));
        }
        return new Device(word, options);
    }

    private static Object value(String v) {
        try {
            return Long.decode(v);
        } catch (NumberFormatException notANumber) {
            return v;
        }
    }
}
