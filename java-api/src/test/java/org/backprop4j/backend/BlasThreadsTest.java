package org.backprop4j.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BlasThreadsTest {

    private String saved;

    @BeforeEach
    void save() {
        saved = System.getProperty(BlasThreads.PROPERTY);
    }

    @AfterEach
    void restore() {
        if (saved == null) {
            System.clearProperty(BlasThreads.PROPERTY);
        } else {
            System.setProperty(BlasThreads.PROPERTY, saved);
        }
    }

    @Test
    void theDefaultLeavesACoreFree() {
        assertEquals(1, BlasThreads.defaultFor(1));
        assertEquals(1, BlasThreads.defaultFor(2));
        assertEquals(7, BlasThreads.defaultFor(8));
        System.clearProperty(BlasThreads.PROPERTY);
        assertEquals(BlasThreads.defaultFor(Runtime.getRuntime().availableProcessors()), BlasThreads.configured());
    }

    @Test
    void thePropertySetsTheCount() {
        System.setProperty(BlasThreads.PROPERTY, " 3 ");
        assertEquals(3, BlasThreads.configured());
    }

    @Test
    void aSettingThatIsNotAThreadCountIsAnErrorThatNamesIt() {
        for (String bad : new String[] {"two", "0", "-1", "1.5"}) {
            System.setProperty(BlasThreads.PROPERTY, bad);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, BlasThreads::configured);
            assertEquals("-Dbackprop4j.threads=" + bad + " is not a thread count: use a whole number >= 1", e.getMessage());
        }
    }

    /** A typo in the setting must not turn into a silent fall-back from a BLAS backend to the reference. */
    @Test
    void aBadSettingIsAnErrorWhenABackendIsChosenNotAFallBack() {
        System.setProperty(BlasThreads.PROPERTY, "0");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Backends.named("auto"));
        assertEquals("-Dbackprop4j.threads=0 is not a thread count: use a whole number >= 1", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Backends.named("reference"));
    }
}
