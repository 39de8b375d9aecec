package org.backprop4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.backprop4j.backend.reference.ReferenceBackend;
import org.backprop4j.data.Dataset;
import org.backprop4j.data.Synthetic;
import org.junit.jupiter.api.Test;

/** While one thread trains a network, the others cannot train it or read its changing weights. */
class TrainingGuardTest {

    @Test
    void anotherThreadCannotTrainOrPredictWhileOneTrainsButTheTrainingThreadCan() throws Exception {
        Dataset moons = Synthetic.twoMoons(200, 0.2, 1, DType.FLOAT64);
        Network net = Network.builder().input(2).dense(8, Activation.TANH).dense(2, Activation.SOFTMAX).seed(3)
                .backend(new ReferenceBackend()).build();
        CountDownLatch training = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        int[] predictedInListener = {0};
        TrainingListener pause = new TrainingListener() {
            @Override
            public void onIteration(int iteration, int epoch, double cost) {
                if (iteration == 1) {
                    predictedInListener[0] = net.predict(moons).length; // the training thread may read
                    training.countDown();
                    try {
                        release.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        };
        TrainingConfig config = TrainingConfig.builder().optimizer(Optimizer.adam(0.01)).epochs(2).listener(pause).build();
        ExecutorService pool = Executors.newSingleThreadExecutor(r -> new Thread(r, "trainer"));
        try {
            Future<TrainingHistory> run = pool.submit(() -> net.fit(moons, config));
            assertTrue(training.await(30, TimeUnit.SECONDS), "training did not start");

            IllegalStateException fit = assertThrows(IllegalStateException.class, () -> net.fit(moons,
                    TrainingConfig.builder().epochs(1).build()));
            assertTrue(fit.getMessage().contains("being trained by thread 'trainer'"), fit::getMessage);
            IllegalStateException predict = assertThrows(IllegalStateException.class, () -> net.predict(moons));
            assertTrue(predict.getMessage().startsWith("predict called while thread 'trainer' trains this network"),
                    predict::getMessage);
            assertThrows(IllegalStateException.class, () -> net.setParameters(net.parameters()));

            release.countDown();
            run.get(60, TimeUnit.SECONDS);
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
        assertEquals(moons.size() * 2, predictedInListener[0]);
        assertEquals(moons.size() * 2, net.predict(moons).length, "free again once training returned");
        net.fit(moons, TrainingConfig.builder().epochs(1).build());
    }
}
