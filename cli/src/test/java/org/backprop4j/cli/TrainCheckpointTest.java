package org.backprop4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.backprop4j.backend.reference.ReferenceBackend;
import org.backprop4j.nn.Network;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code train --checkpoint-every N} then {@code train --resume FILE} ends with the uninterrupted run's weights. */
class TrainCheckpointTest {

    @TempDir
    Path dir;

    private static final String[] RUN = {"train", "--data", "moons", "--hidden", "8", "--iterations", "40",
        "--batch-size", "16", "--backend", "reference", "--seed", "3", "--print-every", "0"};

    private static String[] args(String... extra) {
        String[] all = java.util.Arrays.copyOf(RUN, RUN.length + extra.length);
        System.arraycopy(extra, 0, all, RUN.length, extra.length);
        return all;
    }

    @Test
    void aResumedRunSavesTheSameModelAsTheWholeRun() throws Exception {
        Path whole = dir.resolve("whole.bp4j");
        Cli.Result a = Cli.run(args("--save", whole.toString(), "--checkpoint-every", "15"));
        assertEquals(0, a.exitCode(), a::toString);
        Path ckpt = dir.resolve("whole.bp4j.ckpt");
        assertTrue(Files.exists(ckpt), "default checkpoint file next to --save");

        Path resumed = dir.resolve("resumed.bp4j");
        Cli.Result b = Cli.run(args("--save", resumed.toString(), "--resume", ckpt.toString()));
        assertEquals(0, b.exitCode(), b::toString);
        assertTrue(b.out().contains("resuming from") && b.out().contains("at iteration 30 of 40"), b::toString);
        ReferenceBackend ref = new ReferenceBackend();
        assertArrayEquals(Network.load(whole, ref).parameters(), Network.load(resumed, ref).parameters());

        Cli.Result wrong = Cli.run("train", "--data", "moons", "--hidden", "8", "--iterations", "40", "--batch-size",
                "32", "--backend", "reference", "--seed", "3", "--resume", ckpt.toString());
        assertNotEquals(0, wrong.exitCode());
        assertTrue(wrong.err().contains("batch size is 16") && wrong.err().contains("but 32"), wrong::toString);

        Cli.Result noEvery = Cli.run(args("--checkpoint", dir.resolve("x.ckpt").toString()));
        assertNotEquals(0, noEvery.exitCode());
        assertTrue(noEvery.err().contains("--checkpoint-every"), noEvery::toString);
    }

    /** A checkpoint resumed with options that describe another network is refused in terms of the options. */
    @Test
    void resumingWithOptionsOfAnotherRunNamesTheDifference() {
        Path ckpt = dir.resolve("run.ckpt");
        assertEquals(0, Cli.run(args("--checkpoint-every", "15", "--checkpoint", ckpt.toString())).exitCode());

        Cli.Result scale = Cli.run(args("--scale", "none", "--resume", ckpt.toString()));
        assertEquals(1, scale.exitCode(), scale::toString);
        assertTrue(scale.err().contains("a network that scales its inputs but --scale is none"), scale::toString);

        Cli.Result data = Cli.run("train", "--data", "spirals", "--hidden", "8", "--iterations", "40", "--batch-size",
                "16", "--backend", "reference", "--seed", "3", "--resume", ckpt.toString());
        assertEquals(1, data.exitCode(), data::toString);
        assertTrue(data.err().contains("the checkpoint holds the network 2-8-1")
                && data.err().contains("describe 2-8-3"), data::toString);
    }
}
