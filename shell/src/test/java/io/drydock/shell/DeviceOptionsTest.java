package io.drydock.shell;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DeviceOptionsTest {
    @Test void aDeviceIsAWordWithItsOptionsNumbersDecodedTheRestStrings() {
        DeviceOptions.Device d = DeviceOptions.parse("mailbox,base=0x10200000,irq=9,name=mbox0");
        assertEquals("mailbox", d.word());
        assertEquals(Map.of("base", 0x10200000L, "irq", 9L, "name", "mbox0"), d.options());
        assertEquals(Map.of(), DeviceOptions.parse("virtioRng").options());
    }

    @Test void malformedDevicesAreRefusedWithTheirText() {
        assertEquals("--device mailbox,base: 'base' is not KEY=VALUE",
                assertThrows(IllegalArgumentException.class, () -> DeviceOptions.parse("mailbox,base")).getMessage());
        assertEquals("--device mailbox,irq=1,irq=2: irq given twice",
                assertThrows(IllegalArgumentException.class, () -> DeviceOptions.parse("mailbox,irq=1,irq=2")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> DeviceOptions.parse(",base=1"));
    }
}
