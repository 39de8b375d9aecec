package org.backprop4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiagnoseCommandTest {

    /** The output with line wrapping undone, so that a phrase can be looked for across a wrapped line. */
    private static String flat(Cli.Result r) {
        return r.out().replaceAll("\\s+", " ");
    }

    @Test
    void theStuckCostOfRandnTimes001LeadsToHeInitializationInOneCommand() {
        Cli.Result r = Cli.run("diagnose", "--data", "moons", "--hidden", "25,50,50,25", "--init", "randn_0.01",
                "--optimizer", "sgd", "--lr", "0.0075", "--batch-size", "full", "--iterations", "300",
                "--backend", "reference");

        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.out().contains("ERROR   VANISHING_GRADIENTS"), r::toString);
        assertTrue(r.out().contains("ERROR   COST_NOT_DECREASING"), r::toString);
        assertTrue(flat(r).contains("fix: use He initialization (Initializer.HE_NORMAL, --init he_normal)"), r::toString);
        assertTrue(flat(r).contains("the hidden activations collapse towards 0 layer by layer"), r::toString);
        assertTrue(r.out().contains("dense 25 -> 50 relu"), "per-layer table:\n" + r.out());
        assertTrue(r.out().contains("training cost 0.693147 -> 0.693147 over 300 iterations"), r::toString);
        assertEquals("", r.err(), r::toString);
    }

    @Test
    void theSameNetworkWithHeInitializationHasNoVanishingGradients() {
        // Fewer iterations than above: the reference backend is slow, and the signal is there from the start.
        Cli.Result r = Cli.run("diagnose", "--data", "moons", "--hidden", "25,50,50,25", "--init", "he_normal",
                "--optimizer", "sgd", "--lr", "0.0075", "--batch-size", "full", "--iterations", "30",
                "--backend", "reference");

        assertEquals(0, r.exitCode(), r::toString);
        assertFalse(r.out().contains("VANISHING_GRADIENTS"), r::toString);
    }

    @Test
    void takesTheOptimizerOptionsOfTrain() {
        Cli.Result r = Cli.run("diagnose", "--epochs", "2", "--optimizer", "sgd", "--lr", "0.05", "--beta1", "0.8",
                "--schedule", "cosine", "--weight-decay", "0.001", "--backend", "reference");

        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.out().contains("weight decay 0.001, schedule cosine, seed 1"), r::toString);
        assertEquals("backprop4j: warning: --beta1 has no effect with --optimizer sgd", r.err().trim(), r::toString);

        Cli.Result bad = Cli.run("diagnose", "--schedule", "cosine:x", "--backend", "reference");
        assertEquals(1, bad.exitCode(), bad::toString);
        assertTrue(bad.err().contains("--schedule cosine:x is not a schedule"), bad::toString);
    }

    @Test
    void aTanhOutputWithOneHotLabelsIsAnOutputLossMismatch() {
        Cli.Result r = Cli.run("diagnose", "--data", "spirals", "--output", "tanh", "--loss", "mse", "--epochs", "2",
                "--backend", "reference");

        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.out().contains("ERROR   OUTPUT_LOSS_MISMATCH"), r::toString);
        assertTrue(flat(r).contains("use dense(3, SOFTMAX) with categorical cross-entropy (--output softmax"),
                r::toString);
    }

    @Test
    void aHealthyRunHasNoFindings() {
        Cli.Result r = Cli.run("diagnose", "--epochs", "3", "--backend", "reference");

        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.out().contains("findings: none"), r::toString);
        assertTrue(r.out().contains("train vs validation: "), r::toString);
    }

    @Test
    void aSavedModelIsDiagnosedAsItIsWithEpochsZero(@TempDir Path dir) {
        Path model = dir.resolve("m.bp4j");
        assertEquals(0, Cli.run("train", "--epochs", "2", "--backend", "reference", "--save", model.toString())
                .exitCode());

        Cli.Result r = Cli.run("diagnose", "--model", model.toString(), "--epochs", "0", "--backend", "reference");
        Cli.Result mixed = Cli.run("diagnose", "--model", model.toString(), "--hidden", "8", "--backend", "reference");

        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.out().startsWith("m.bp4j: 64-32-10 (relu, softmax)"), r::toString);
        assertTrue(r.out().contains("no training (--epochs 0)"), r::toString);
        assertTrue(r.out().contains("diagnostics on 512 samples"), r::toString);
        assertEquals(1, mixed.exitCode(), mixed::toString);
        assertTrue(mixed.err().contains("--hidden cannot be combined with --model"), mixed::toString);
    }

    @Test
    void badOptionsFailFastWithOneLine() {
        Cli.Result both = Cli.run("diagnose", "--epochs", "2", "--iterations", "5", "--backend", "reference");
        Cli.Result plot = Cli.run("diagnose", "--plot", "curves.gif", "--backend", "reference");

        assertEquals(1, both.exitCode(), both::toString);
        assertEquals(1, both.errLines().size(), both::toString);
        assertTrue(both.err().contains("give --epochs or --iterations, not both"), both::toString);
        assertEquals(1, plot.exitCode(), plot::toString);
        assertTrue(plot.err().contains("must end in .png or .svg"), plot::toString);
        assertEquals("", plot.out(), "nothing trained");
    }
}
