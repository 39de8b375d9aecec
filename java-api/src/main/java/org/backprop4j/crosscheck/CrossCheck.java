package org.backprop4j.crosscheck;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.backprop4j.backend.Backend;
import org.backprop4j.backend.BackendStatus;
import org.backprop4j.backend.BackendUnavailableException;
import org.backprop4j.backend.Backends;
import org.backprop4j.backend.reference.ReferenceBackend;
import org.backprop4j.nn.DType;

/**
 * Compares backends with the reference backend, the numerical oracle (DESIGN.md §6): every kernel
 * over a seeded, randomized set of shapes, then short training runs of the workload shapes.
 *
 * <p>Kernels: GEMM in all four transpose pairs; the bias + activation forward and the backward
 * kernel of every element-wise activation; softmax; the fused losses (probabilities, gradient and
 * loss value of each); column sums; axpy and scal; the SGD, momentum, Nesterov, Adam and RMSProp
 * steps. Shapes include 1×1, 1×N, N×1, odd sizes, offsets and leading dimensions wider than the
 * rows; GEMM runs with {@code β = 0} over NaN, {@code β = 1} and {@code β = 0.5}, and
 * {@code α = 0} over NaN. Every result is compared with {@link ErrorBounds}; besides, a kernel must
 * not write outside its output nor modify its inputs. Each kernel gets one {@link KernelResult}
 * per dtype (a fused loss one per output).
 *
 * <p>Training: W1–W4 of {@code workloads.json}, scaled down to a few steps (see
 * {@link TrainingResult#setup()}), in their own dtype, from the same initial weights on both
 * backends; the cost of every step and the final weights must agree within
 * {@link ErrorBounds#training}.
 *
 * <pre>{@code
 * CrossCheck cc = CrossCheck.builder().seed(42).build();
 * Report report = cc.run(cc.select(null));      // every available backend but the reference
 * BackendReport one = cc.check(someBackend);    // or one backend
 * }</pre>
 *
 * <p>The same seed gives the same cases for every backend and on every machine.
 */
public final class CrossCheck {

    /** The seed used unless {@link Builder#seed} sets another. */
    public static final long DEFAULT_SEED = 42;

    /** Told about each result as soon as it is known, e.g. to print a long run as it goes. */
    public interface Listener {
        /** The checks of {@code candidate} start. */
        default void started(Backend candidate) {
        }

        /** One kernel row is complete. */
        default void kernelChecked(Backend candidate, KernelResult result) {
        }

        /** One training run is complete. */
        default void trainingChecked(Backend candidate, TrainingResult result) {
        }

        /** The checks of one backend are complete. */
        default void finished(Backend candidate, BackendReport report) {
        }
    }

    /** One case generator per kernel family; each draws its shapes from the random source it is given. */
    private static final List<Consumer<CaseContext>> FAMILIES = List.of(
            GemmCases::run,
            ActivationCases::run,
            LossCases::run,
            ReductionCases::run,
            VectorCases::run,
            OptimizerCases::run);

    private final Backend reference;
    private final long seed;
    private final List<DType> dtypes;
    private final boolean quick;
    private final Listener listener;

    private CrossCheck(Builder b) {
        this.reference = b.reference;
        this.seed = b.seed;
        this.dtypes = List.copyOf(b.dtypes);
        this.quick = b.quick;
        this.listener = b.listener;
    }

    /** A builder with the default settings given on its setters. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The backends to compare with the reference.
     *
     * @param name a backend name (or {@code auto}); null for every available backend other than the
     *             reference, the others listed as unavailable with their reason. Naming the
     *             reference compares it with itself.
     * @throws BackendUnavailableException if {@code name} is unknown or cannot run here, with the reason
     */
    public Selection select(String name) {
        if (name != null) {
            return new Selection(List.of(Backends.named(name)), List.of());
        }
        List<Backend> backends = new ArrayList<>();
        List<Selection.Unavailable> unavailable = new ArrayList<>();
        for (BackendStatus s : Backends.survey()) {
            if (s.name().equals(reference.name())) {
                continue;
            }
            if (s.availability().available()) {
                try {
                    backends.add(Backends.named(s.name()));
                } catch (BackendUnavailableException e) {
                    unavailable.add(new Selection.Unavailable(s.name(), e.getMessage()));
                }
            } else {
                unavailable.add(new Selection.Unavailable(s.name(), s.availability().detail()));
            }
        }
        return new Selection(backends, unavailable);
    }

    /** Checks every backend of {@code selection}, one after the other. */
    public Report run(Selection selection) {
        long start = System.nanoTime();
        List<BackendReport> reports = new ArrayList<>();
        for (Backend b : selection.backends()) {
            reports.add(check(b));
        }
        return new Report(Machine.current(), Jvm.current(), reference.details(), seed, dtypes, quick, reports,
                selection.unavailable(), (System.nanoTime() - start) / 1_000_000);
    }

    /** Every kernel in every dtype of this run, then the training workloads of those dtypes. */
    public BackendReport check(Backend candidate) {
        Objects.requireNonNull(candidate, "candidate");
        long start = System.nanoTime();
        listener.started(candidate);
        List<KernelResult> kernels = new ArrayList<>();
        for (DType dtype : dtypes) {
            // The same stream of cases for every backend: one split per family, in a fixed order.
            SplittableRandom root = new SplittableRandom(seed * 31 + dtype.ordinal());
            Map<String, Tally> tallies = new LinkedHashMap<>();
            int reported = 0;
            for (Consumer<CaseContext> family : FAMILIES) {
                family.accept(new CaseContext(dtype, root.split(), quick, reference, candidate, tallies));
                List<Tally> rows = new ArrayList<>(tallies.values());
                for (Tally t : rows.subList(reported, rows.size())) {
                    KernelResult r = t.result();
                    kernels.add(r);
                    listener.kernelChecked(candidate, r);
                }
                reported = rows.size();
            }
        }
        List<TrainingResult> training = new ArrayList<>();
        for (TrainingCases.Workload w : TrainingCases.workloads(quick)) {
            if (dtypes.contains(w.dtype())) {
                TrainingResult r = TrainingCases.run(w, reference, candidate, seed);
                training.add(r);
                listener.trainingChecked(candidate, r);
            }
        }
        BackendReport report = new BackendReport(candidate.name(), candidate.details(), kernels, training,
                (System.nanoTime() - start) / 1_000_000);
        listener.finished(candidate, report);
        return report;
    }

    /** The reference backend results are compared with. */
    public Backend reference() {
        return reference;
    }

    /** Settings of a {@link CrossCheck}. */
    public static final class Builder {
        private Backend reference = new ReferenceBackend();
        private long seed = DEFAULT_SEED;
        private Set<DType> dtypes = EnumSet.allOf(DType.class);
        private boolean quick;
        private Listener listener = new Listener() {
        };

        private Builder() {
        }

        /** Seed of every random shape, operand and training run. Default {@value CrossCheck#DEFAULT_SEED}. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** The dtypes to check (kernels, and the training workloads of that dtype). Default both. */
        public Builder dtypes(DType... dtypes) {
            if (dtypes.length == 0) {
                throw new IllegalArgumentException("at least one dtype is needed");
            }
            this.dtypes = EnumSet.of(dtypes[0], dtypes);
            return this;
        }

        /** Fewer and smaller cases and training runs: a few seconds instead of half a minute. */
        public Builder quick(boolean quick) {
            this.quick = quick;
            return this;
        }

        /** The oracle. Default a new {@link ReferenceBackend}. */
        public Builder reference(Backend reference) {
            this.reference = Objects.requireNonNull(reference, "reference");
            return this;
        }

        /** Told about each result as it comes. */
        public Builder listener(Listener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** Creates a {@link CrossCheck} with these settings. */
        public CrossCheck build() {
            return new CrossCheck(this);
        }
    }
}
