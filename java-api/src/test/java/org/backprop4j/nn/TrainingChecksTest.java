package org.backprop4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.backprop4j.backend.reference.ReferenceBackend;
import org.backprop4j.data.Dataset;
import org.backprop4j.data.Synthetic;
import org.junit.jupiter.api.Test;

/** Training configurations and targets that cannot mean anything fail at the start, with the reason. */
class TrainingChecksTest {

    private static final ReferenceBackend REFERENCE = new ReferenceBackend();

    @Test
    void binaryCrossEntropyTargetsMustBeProbabilities() {
        Network net = Network.builder().input(1).dense(1, Activation.SIGMOID).backend(REFERENCE).build();
        Dataset targets = Dataset.ofTargets(new double[][] {{1}, {2}}, new double[][] {{5}, {-3}}, DType.FLOAT64);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> net.fit(targets, TrainingConfig.builder().epochs(1).build()));
        assertEquals("training target 5.0 (row 0, column 0) is outside [0, 1]: binary_cross_entropy scores "
                + "probabilities; use mean squared error for other targets", e.getMessage());
    }

    @Test
    void categoricalCrossEntropyTargetRowsMustSumToOne() {
        Network net = Network.builder().input(1).dense(2, Activation.SOFTMAX).backend(REFERENCE).build();
        Dataset targets = Dataset.ofTargets(new double[][] {{1}, {2}}, new double[][] {{0.3, 0.7}, {0.5, 0.4}},
                DType.FLOAT64);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> net.fit(targets, TrainingConfig.builder().epochs(1).build()));
        assertTrue(e.getMessage().startsWith("training targets of row 1 sum to 0.9"), e::getMessage);
    }

    @Test
    void aScheduleFactorThatIsNotAFiniteNonNegativeNumberIsAnError() {
        Dataset moons = Synthetic.twoMoons(64, 0.2, 1, DType.FLOAT64);
        for (double factor : new double[] {Double.NaN, -1}) {
            Network net = Network.builder().input(2).dense(2, Activation.SOFTMAX).backend(REFERENCE).build();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> net.fit(moons,
                    TrainingConfig.builder().epochs(2).schedule(epoch -> factor).build()));
            assertEquals("the learning-rate schedule gives the factor " + factor + " for epoch 0: a factor must be "
                    + "finite and >= 0", e.getMessage());
        }
    }

    @Test
    void aCheckpointThatCannotBeWrittenIsFoundBeforeTraining(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        Dataset moons = Synthetic.twoMoons(64, 0.2, 1, DType.FLOAT64);
        Network net = Network.builder().input(2).dense(2, Activation.SOFTMAX).backend(REFERENCE).build();
        Path notADirectory = java.nio.file.Files.writeString(dir.resolve("notes.txt"), "a file");
        Path file = notADirectory.resolve("run.ckpt");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> net.fit(moons,
                TrainingConfig.builder().epochs(1).checkpointEvery(1000, file).build()));
        assertTrue(e.getMessage().endsWith("notes.txt is a file, not a directory"), e::getMessage);
    }
}
