package org.backprop4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.backprop4j.backend.reference.ReferenceBackend;
import org.backprop4j.data.Dataset;
import org.backprop4j.data.Synthetic;
import org.junit.jupiter.api.Test;

/** One trained network used by many threads at once answers exactly as it does on one thread. */
class ConcurrentInferenceTest {

    @Test
    void sixteenThreadsPredictingGiveTheSingleThreadedAnswers() throws Exception {
        Dataset moons = Synthetic.twoMoons(400, 0.2, 1, DType.FLOAT32);
        Network net = Network.builder().input(2).dense(16, Activation.TANH).dense(2, Activation.SOFTMAX).seed(3)
                .backend(new ReferenceBackend()).build();
        net.fit(moons, TrainingConfig.builder().optimizer(Optimizer.adam(0.01)).epochs(5).build());

        double[][] inputs = new double[moons.size()][2];
        for (int i = 0; i < inputs.length; i++) {
            inputs[i][0] = moons.feature(i, 0);
            inputs[i][1] = moons.feature(i, 1);
        }
        double[][] expected = net.predict(inputs);

        int threads = 16;
        int callsPerThread = 10_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int offset = t;
                results.add(pool.submit(() -> {
                    int checked = 0;
                    for (int c = 0; c < callsPerThread; c++) {
                        int i = (offset * 7919 + c * 31) % inputs.length;
                        double[][] p = net.predict(new double[][] {inputs[i]});
                        assertArrayEquals(expected[i], p[0], "sample " + i);
                        assertEquals(expected[i][1] >= expected[i][0] ? 1 : 0, net.predictClass(inputs[i]));
                        checked++;
                    }
                    return checked;
                }));
            }
            int total = 0;
            for (Future<Integer> f : results) {
                total += f.get();
            }
            assertEquals(threads * callsPerThread, total);
        } finally {
            pool.shutdownNow();
        }
    }
}
