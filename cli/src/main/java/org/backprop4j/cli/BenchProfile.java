package org.backprop4j.cli;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.backprop4j.backend.Backend;
import org.backprop4j.backend.Transpose;
import org.backprop4j.data.Dataset;
import org.backprop4j.nn.Network;
import org.backprop4j.nn.TrainingDivergedException;
import org.backprop4j.nn.TrainingSession;

/**
 * {@code bench --breakdown}: where a training step's time goes. The backend is wrapped in a proxy
 * that times every call and adds it to its part (forward GEMMs, dW GEMMs, element-wise kernels,
 * loss, optimizer, ...); what the step spends outside the backend (gathering the batch, epoch
 * bookkeeping, and the proxy's own few hundred nanoseconds per call) is the rest.
 */
final class BenchProfile {

    /** Part names, in the order a step runs them. */
    static final String OUTSIDE = "outside the backend (gather batch, bookkeeping, profiler)";
    private static final String[] PARTS = {"GEMM forward (NT)", "bias + activation, softmax", "loss (fused)",
        "axpy (bias update), scal", "GEMM dW / weight update (TN)", "GEMM dX (NN)", "bias gradients (column sums)",
        "activation backward", "optimizer step", "other backend calls", OUTSIDE};

    private BenchProfile() {
    }

    /** Profiles about {@code nanos} of steps after a warm-up of {@code warmupNanos}; returns the parts and the step. */
    static List<BenchReport.Part> profile(Backend backend, BenchWorkload w, long warmupNanos, long nanos) {
        long[] spent = new long[PARTS.length];
        boolean[] recording = {false};
        Backend timed = (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class},
                (proxy, method, args) -> {
                    long t0 = System.nanoTime();
                    try {
                        return method.invoke(backend, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    } finally {
                        if (recording[0]) {
                            spent[part(method, args)] += System.nanoTime() - t0;
                        }
                    }
                });
        Network net = w.network(timed);
        Dataset data = w.data();
        TrainingSession session = net.session(data, null, w.config(1_000_000));
        double sink = 0;
        long start = System.nanoTime();
        while (System.nanoTime() - start < warmupNanos || session.iteration() < 2) {
            sink += session.step();
        }
        recording[0] = true;
        long steps = 0;
        start = System.nanoTime();
        long elapsed;
        do {
            try {
                sink += session.step();
            } catch (TrainingDivergedException e) {
                // As in BenchSuite: random data may drive the cost up; go on from the last good weights.
                session = net.session(data, null, w.config(1_000_000));
            }
            steps++;
            elapsed = System.nanoTime() - start;
        } while ((elapsed < nanos || steps < 3) && session.iteration() < session.totalIterations() - 1);
        BenchTimer.published = sink;

        long inside = 0;
        for (int i = 0; i < PARTS.length - 1; i++) {
            inside += spent[i];
        }
        spent[PARTS.length - 1] = elapsed - inside;
        Map<String, Double> parts = new LinkedHashMap<>();
        for (int i = 0; i < PARTS.length; i++) {
            if (spent[i] != 0 || PARTS[i].equals(OUTSIDE)) {
                parts.put(PARTS[i], (double) spent[i] / steps);
            }
        }
        List<BenchReport.Part> out = new ArrayList<>();
        parts.forEach((name, ns) -> out.add(new BenchReport.Part(name, ns)));
        return out;
    }

    private static int part(Method method, Object[] args) {
        String name = method.getName();
        if (name.endsWith("gemm")) {
            boolean ta = ((Transpose) args[0]).isTransposed();
            boolean tb = ((Transpose) args[1]).isTransposed();
            return !ta && tb ? 0 : ta && !tb ? 4 : !ta && !tb ? 5 : 9;
        }
        if (name.endsWith("biasActivation") || name.endsWith("softmax")) {
            return 1;
        }
        if (name.endsWith("CrossEntropy") || name.endsWith("meanSquaredError")) {
            return 2;
        }
        if (name.endsWith("scal") || name.endsWith("axpy")) {
            return 3;
        }
        if (name.endsWith("columnSums")) {
            return 6;
        }
        if (name.endsWith("activationBackward")) {
            return 7;
        }
        if (name.endsWith("Step")) {
            return 8;
        }
        return 9;
    }
}
