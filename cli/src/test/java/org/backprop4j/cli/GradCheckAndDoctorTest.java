package org.backprop4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class GradCheckAndDoctorTest {

    @Test
    void gradcheckPassesOnTheDefaultNetwork() {
        Cli.Result r = Cli.run("gradcheck", "--backend", "reference");

        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.out().contains("float64"), r::toString);
        assertTrue(r.out().contains("rel err W"), r::toString);
        assertTrue(r.out().contains("PASS: max relative error"), r::toString);
    }

    @Test
    void gradcheckCoversDeepTanhAndSigmoidNetworks() {
        Cli.Result r = Cli.run("gradcheck", "--data", "moons", "--hidden", "8,8,8", "--activation", "tanh,sigmoid,leaky_relu",
                "--init", "xavier_normal", "--weight-decay", "0.01", "--backend", "reference");

        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.out().contains("dense 8 -> 1 sigmoid"), r::toString);
    }

    @Test
    void gradcheckFailsWithExit1() {
        // A threshold no finite-difference estimate can meet.
        Cli.Result r = Cli.run("gradcheck", "--data", "xor", "--hidden", "4", "--threshold", "1e-30", "--backend", "reference");

        assertEquals(1, r.exitCode(), r::toString);
        assertTrue(r.out().contains("FAIL"), r::toString);
    }

    @Test
    void doctorListsTheReferenceBackendAsAvailable() {
        Cli.Result r = Cli.run("doctor");

        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(Pattern.compile("(?m)^  reference\\s+priority\\s+\\d+\\s+available\\s").matcher(r.out()).find(), r::toString);
        assertTrue(r.out().contains("selected: "), r::toString);
        assertTrue(r.out().contains("java:"), r::toString);
        assertTrue(r.out().contains("processors:"), r::toString);
        assertTrue(r.out().contains("max heap:"), r::toString);
    }
}
