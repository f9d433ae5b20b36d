package io.drydock.riscv;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How the -Ddrydock.jit.* properties are read (JitProperty), on a property name of the test's own. */
class JitPropertyTest {
    static final String P = "drydock.jit.jitPropertyTest";

    @AfterEach
    void clear() { System.clearProperty(P); }

    @Test
    void anIntegerIsItsDefaultWhenUnsetAndClampedToItsRange() {
        assertEquals(8, JitProperty.integer(P, 8, 0, 64));
        System.setProperty(P, " 12 ");
        assertEquals(12, JitProperty.integer(P, 8, 0, 64));
        System.setProperty(P, "-3");
        assertEquals(0, JitProperty.integer(P, 8, 0, 64));
        System.setProperty(P, "99999999999");
        assertEquals(64, JitProperty.integer(P, 8, 0, 64));
    }

    @Test
    void textWhereANumberBelongsIsAnErrorNamingTheProperty() {
        System.setProperty(P, "off");
        var e = assertThrows(IllegalArgumentException.class, () -> JitProperty.integer(P, 8, 0, 64));
        assertTrue(e.getMessage().contains("-D" + P + "=off"), e.getMessage());
    }

    @Test
    void aChoiceIsOneOfItsValuesOrAnError() {
        assertEquals("false", JitProperty.choice(P, "false", "false", "true", "loops"));
        System.setProperty(P, "loops");
        assertEquals("loops", JitProperty.choice(P, "false", "false", "true", "loops"));
        for (String bad : new String[]{"yes", "0", "LOOPS", ""}) {
            System.setProperty(P, bad);
            var e = assertThrows(IllegalArgumentException.class, () -> JitProperty.choice(P, "false", "false", "true", "loops"));
            assertTrue(e.getMessage().contains("[false, true, loops]"), e.getMessage());
        }
    }
}
