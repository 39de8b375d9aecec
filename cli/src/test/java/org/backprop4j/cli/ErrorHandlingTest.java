package org.backprop4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad input: exit 1 and one line {@code backprop4j: error: ...}; usage errors: exit 2 and a --help hint. */
class ErrorHandlingTest {

    private static void assertOneErrorLine(Cli.Result r, String... fragments) {
        assertEquals(1, r.exitCode(), r::toString);
        assertEquals(1, r.errLines().size(), r::toString);
        assertTrue(r.err().startsWith("backprop4j: error: "), r::toString);
        for (String f : fragments) {
            assertTrue(r.err().contains(f), () -> "'" + f + "' missing from: " + r.err());
        }
        assertFalse(r.err().contains("\tat "), "no stack trace without --stacktrace");
    }

    @Test
    void missingLabelColumnNameIsNamed(@TempDir Path dir) throws Exception {
        Path csv = Files.writeString(dir.resolve("small.csv"), "x1,x2,label\n0.1,0.2,0\n0.5,0.1,1\n0.3,0.9,0\n0.7,0.4,1\n");

        Cli.Result r = Cli.run("train", "--data", csv.toString(), "--label-column", "target", "--backend", "reference");

        assertOneErrorLine(r, "'target'", "x1, x2, label");
    }

    @Test
    void badValueInCsvNamesLineAndColumn(@TempDir Path dir) throws Exception {
        Path csv = Files.writeString(dir.resolve("bad.csv"), "1,2,0\n3,abc,1\n");

        Cli.Result r = Cli.run("train", "--data", csv.toString(), "--backend", "reference");

        assertOneErrorLine(r, "bad.csv", "line 2", "column 2", "abc");
    }

    @Test
    void missingFileIsNamed() {
        assertOneErrorLine(Cli.run("train", "--data", "no/such/file.csv", "--backend", "reference"),
                "no such file", "file.csv");
    }

    @Test
    void aMissingDataFileIsReportedBeforeTheBackendIsChosen() {
        Cli.Result r = Cli.run("train", "--data", "no/such/file.csv");
        assertOneErrorLine(r, "no such file", "file.csv");
        assertEquals("", r.out(), r::toString);
    }

    @Test
    void optionsThatCannotWorkAreRefusedBeforeAnyWork(@TempDir Path dir) throws Exception {
        assertOneErrorLine(Cli.run("gradcheck", "--threshold", "-1", "--backend", "reference"), "--threshold", "-1");
        assertOneErrorLine(Cli.run("gradcheck", "--threshold", "0", "--backend", "reference"), "--threshold");
        assertOneErrorLine(Cli.run("bench", "--quick", "--plot", dir.resolve("b.jpg").toString()), "--plot", ".png");
        assertOneErrorLine(Cli.run("diagnose", "--epochs", "0", "--plot", dir.resolve("d.png").toString(),
                "--backend", "reference"), "--plot", "--epochs 0");
        Path plotDir = Files.createDirectory(dir.resolve("curves.png"));
        assertOneErrorLine(Cli.run("train", "--plot", plotDir.toString(), "--backend", "reference"), "--plot",
                "is a directory");
        assertOneErrorLine(Cli.run("train", "--resume", dir.toString(), "--backend", "reference"), "--resume",
                "is a directory");
        assertOneErrorLine(Cli.run("evaluate", "--model", dir.toString(), "--backend", "reference"),
                "is a directory, not a model file");
    }

    /** A file that cannot be created is named as the user gave it, not as the temporary file beside it. */
    @Test
    void aSaveThatCannotBeWrittenNamesTheFileNotItsTemporaryCopy() {
        assumeTrue(Files.isDirectory(Path.of("/proc/self")), "needs Linux's /proc, where no file can be created");
        Cli.Result r = Cli.run("train", "--epochs", "1", "--save", "/proc/model.bp4j", "--backend", "reference");
        assertOneErrorLine(r, "/proc/model.bp4j");
        assertFalse(r.err().contains(".tmp"), r::toString);
    }

    @Test
    void aModelGivenDataOfAnotherShapeNamesBoth(@TempDir Path dir) {
        Path model = dir.resolve("moons.bp4j");
        assertEquals(0, Cli.run("train", "--data", "moons", "--epochs", "1", "--save", model.toString(), "--backend",
                "reference").exitCode());
        for (String command : new String[] {"evaluate", "gradcheck", "diagnose"}) {
            assertOneErrorLine(Cli.run(command, "--model", model.toString(), "--data", "digits", "--backend",
                    "reference"), "moons.bp4j takes 2 features per sample but --data digits has 64");
            assertOneErrorLine(Cli.run(command, "--model", model.toString(), "--data", "spirals", "--backend",
                    "reference"), "moons.bp4j tells apart 2 classes (0 to 1) but --data spirals has 3 classes");
        }
    }

    @Test
    void unknownBackendListsTheKnownOnes() {
        assertOneErrorLine(Cli.run("train", "--backend", "nope"), "'nope'", "reference");
    }

    @Test
    void softmaxWithBinaryCrossEntropyNamesThePairing() {
        assertOneErrorLine(Cli.run("train", "--output", "softmax", "--loss", "bce", "--backend", "reference"),
                "softmax", "categorical_cross_entropy", "--output sigmoid");
    }

    @ParameterizedTest
    @CsvSource({"--lr, 0, --lr", "--lr, -0.5, --lr", "--batch-size, -1, --batch-size", "--batch-size, 0, --batch-size",
            "--epochs, 0, --epochs", "--test-fraction, 1, --test-fraction", "--schedule, step:0:0.5, --schedule",
            "--hidden, '32,x', --hidden", "--activation, softmax, softmax", "--init, zeros, initializer",
            "--optimizer, adagrad, adagrad", "--scale, log, --scale", "--dtype, float16, float16",
            "--momentum, 1.5, momentum"})
    void badTrainingOptionsAreOneErrorLine(String option, String value, String fragment) {
        String optimizer = option.equals("--momentum") ? "momentum" : "adam";
        Cli.Result r = option.equals("--optimizer") ? Cli.run("train", option, value, "--backend", "reference")
                : Cli.run("train", option, value, "--optimizer", optimizer, "--backend", "reference");

        assertOneErrorLine(r, fragment);
        assertEquals("", r.out(), "options are checked before anything is printed or trained");
    }

    @Test
    void stacktraceOptionPrintsTheTrace() {
        Cli.Result r = Cli.run("--stacktrace", "train", "--lr", "-1", "--backend", "reference");

        assertEquals(1, r.exitCode(), r::toString);
        assertTrue(r.err().contains("\tat org.backprop4j.cli.TrainCommand"), r::toString);
        assertTrue(r.err().strip().endsWith("backprop4j: error: --lr must be a positive number, got -1.0 "
                + "(typical: 0.001 for adam and rmsprop, 0.01 for sgd and momentum)"), r::toString);
    }

    @Test
    void usageErrorsExitWith2AndAHint() {
        Cli.Result unknown = Cli.run("train", "--hiden", "3");
        Cli.Result notANumber = Cli.run("train", "--lr", "fast");
        Cli.Result noCommand = Cli.run();

        assertEquals(2, unknown.exitCode(), unknown::toString);
        assertTrue(unknown.err().contains("Unknown option"), unknown::toString);
        assertTrue(unknown.err().contains("--hidden"), "suggestion expected: " + unknown.err());
        assertTrue(unknown.err().contains("Try 'backprop4j train --help'"), unknown::toString);
        assertEquals(2, notANumber.exitCode(), notANumber::toString);
        assertTrue(notANumber.err().contains("'fast'"), notANumber::toString);
        assertEquals(2, noCommand.exitCode(), noCommand::toString);
        assertTrue(noCommand.err().contains("Try 'backprop4j --help'"), noCommand::toString);
    }

    @Test
    void helpAndVersionExitWith0() {
        Cli.Result help = Cli.run("--help");
        Cli.Result trainHelp = Cli.run("train", "--help");
        Cli.Result version = Cli.run("--version");

        assertEquals(0, help.exitCode());
        assertTrue(help.out().contains("gradcheck") && help.out().contains("doctor"), help::toString);
        assertEquals(0, trainHelp.exitCode());
        assertTrue(trainHelp.out().contains("--batch-size"), trainHelp::toString);
        assertEquals(0, version.exitCode());
        assertTrue(version.out().startsWith("backprop4j "), version::toString);
        assertFalse(version.out().startsWith("backprop4j unknown"), "version.properties is filtered by Maven");
    }
}
