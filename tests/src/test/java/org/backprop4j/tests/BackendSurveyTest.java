package org.backprop4j.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;
import org.backprop4j.backend.Backend;
import org.backprop4j.backend.BackendStatus;
import org.backprop4j.backend.Backends;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * One test per backend provider on the class path. The cross-check tests run only on available
 * backends; here a known but unavailable backend shows as skipped with its probe's reason, so that
 * a missing native library is visible in the report instead of the suite silently passing without
 * it.
 */
class BackendSurveyTest {

    @TestFactory
    Stream<DynamicTest> everyKnownBackendIsAvailableOrSkippedWithItsReason() {
        return Backends.survey().stream().map(s -> DynamicTest.dynamicTest(s.name(), () -> check(s)));
    }

    private static void check(BackendStatus s) {
        if (!s.availability().available()) {
            Assumptions.abort("backend " + s.name() + " unavailable: " + s.availability().detail());
        }
        Backend b = Backends.named(s.name());
        assertEquals(s.name(), b.name());
    }
}
