package org.backprop4j.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class BackendSelectionTest {

    @Test
    void autoSkipsAnUnavailableBetterBackendAndFallsBack() {
        Backend chosen = Backends.named("auto");
        assertEquals("reference", chosen.name());
    }

    @Test
    void anUnavailableBackendNamedExplicitlyFailsWithItsReasonAndCause() {
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
                () -> Backends.named("unavailable-test"));
        assertTrue(e.getMessage().contains("backend 'unavailable-test' is not available")
                && e.getMessage().contains("libfake.so not found"), e::getMessage);
        assertSame(UnavailableTestBackendProvider.CAUSE, e.getCause());
    }

    @Test
    void theSurveyListsEveryProviderBestFirstWithItsProbe() {
        List<BackendStatus> all = Backends.survey();
        assertEquals("unavailable-test", all.get(0).name());
        assertFalse(all.get(0).availability().available());
        assertTrue(all.stream().anyMatch(s -> s.name().equals("reference") && s.availability().available()));
        assertTrue(Backends.allAvailable().stream().noneMatch(b -> b.name().equals("unavailable-test")));
    }

    @Test
    void namesAreCaseInsensitive() {
        assertEquals("reference", Backends.named(" Reference ").name());
    }
}
