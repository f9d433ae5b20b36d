package io.drydock.shell.plugin;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

/** A descriptor field survives the plugin index's one-line, tab-separated form whatever it holds. */
class PluginIndexEscapeTest {
    @Test void fieldsRoundTripAndNeverHoldASeparator() {
        for (String s : new String[]{"", "plain", "a\tb", "line\nbreak\r", "back\\slash", "\\-", "\\", "tab at end\t", "ünï"}) {
            String e = PluginIndex.escape(s);
            assertFalse(e.contains("\t") || e.contains("\n") || e.contains("\r"), e);
            assertEquals(s, PluginIndex.unescape(e));
        }
    }

    @Test void nullIsKeptApartFromEveryString() {
        assertNull(PluginIndex.unescape(PluginIndex.escape(null)));
        assertEquals("\\-", PluginIndex.unescape(PluginIndex.escape("\\-")));
    }
}
