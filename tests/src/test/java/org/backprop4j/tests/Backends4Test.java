package org.backprop4j.tests;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.backprop4j.backend.Backend;
import org.backprop4j.backend.Backends;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.provider.Arguments;

/** The backends a test runs on: every backend available on this machine, named in the report. */
final class Backends4Test {

    private Backends4Test() {
    }

    static Stream<Named<Backend>> available() {
        return Backends.allAvailable().stream().map(b -> Named.of(b.name(), b));
    }

    /**
     * Every available backend crossed with every combination of the given values, as
     * {@code (backend, v1, v2, ...)}; a value may be a {@link Named} to read well in the report.
     */
    static Stream<Arguments> availableWith(List<?>... dimensions) {
        Stream<List<Object>> rows = available().map(List::<Object>of);
        for (List<?> values : dimensions) {
            rows = rows.flatMap(row -> values.stream().map(v -> {
                List<Object> longer = new ArrayList<>(row);
                longer.add(v);
                return longer;
            }));
        }
        return rows.map(row -> Arguments.of(row.toArray()));
    }
}
