package org.backprop4j.tests;

import java.util.stream.Stream;
import org.backprop4j.backend.Backend;
import org.backprop4j.backend.Backends;
import org.junit.jupiter.api.Named;

/** The backends a test runs on: every backend available on this machine, named in the report. */
final class Backends4Test {

    private Backends4Test() {
    }

    static Stream<Named<Backend>> available() {
        return Backends.allAvailable().stream().map(b -> Named.of(b.name(), b));
    }
}
