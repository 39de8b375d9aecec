/**
 * Coverage-guided fuzz tests, with Jazzer's JUnit integration ({@code com.code-intelligence:jazzer-junit}):
 * every method of {@link org.backprop4j.backend.Backend} on every available backend must either
 * compute the reference's result or throw the reference's exception, and never crash the JVM; the
 * model, CSV, IDX and HDF5 loaders must either load a file or throw their named error.
 *
 * <h2>Targets</h2>
 * Jazzer fuzzes one {@code @FuzzTest} per JVM, so each class holds one:
 * <table>
 * <caption>The fuzz targets</caption>
 * <tr><th>target</th><th>fuzzes</th></tr>
 * <tr><td>{@code GemmFuzzTest#gemm}</td><td>{@code sgemm}, {@code dgemm}</td></tr>
 * <tr><td>{@code BiasActivationFuzzTest#biasActivation}</td><td>{@code s/dbiasActivation}</td></tr>
 * <tr><td>{@code ActivationBackwardFuzzTest#activationBackward}</td><td>{@code s/dactivationBackward}</td></tr>
 * <tr><td>{@code SoftmaxFuzzTest#softmax}</td><td>{@code s/dsoftmax}</td></tr>
 * <tr><td>{@code ColumnSumsFuzzTest#columnSums}</td><td>{@code s/dcolumnSums}</td></tr>
 * <tr><td>{@code LossFuzzTest#loss}</td><td>the three fused losses, both dtypes</td></tr>
 * <tr><td>{@code VectorFuzzTest#vector}</td><td>{@code axpy}, {@code scal}, both dtypes</td></tr>
 * <tr><td>{@code OptimizerFuzzTest#step}</td><td>SGD, momentum (and Nesterov), Adam, RMSProp steps, both dtypes</td></tr>
 * <tr><td>{@code ModelFileFuzzTest#modelFile}</td><td>{@code Network.load}</td></tr>
 * <tr><td>{@code CsvFuzzTest#csv}</td><td>{@code CsvLoader} with eight option sets, plain and gzip</td></tr>
 * <tr><td>{@code IdxFuzzTest#idx}</td><td>{@code IdxLoader}: image files, label files, both</td></tr>
 * <tr><td>{@code Hdf5FuzzTest#hdf5}</td><td>{@code Hdf5Loader} (and jHDF under it)</td></tr>
 * </table>
 * {@link org.backprop4j.fuzz.BackendHarness} says what the backend targets check, {@link org.backprop4j.fuzz.ArgSource}
 * how fuzzer bytes become arguments.
 *
 * <h2>Regression mode: {@code mvn verify}</h2>
 * Without {@code JAZZER_FUZZ}, each target is a parameterized test run on the empty input and on
 * every file in {@code src/test/resources/org/backprop4j/fuzz/<Class>Inputs/<method>/}: hand-made
 * valid files for the loaders, and a sample of inputs the fuzzer found for each target. It takes a
 * few seconds. A crash found while fuzzing, copied there, is replayed by every build.
 *
 * <h2>Fuzzing</h2>
 * {@code JAZZER_FUZZ=1} fuzzes; {@code @FuzzTest(maxDuration = "20s")} bounds each target. From
 * the repository root, after {@code mvn install -DskipTests} (or add {@code -am} and
 * {@code -Dsurefire.failIfNoSpecifiedTests=false} to build the other modules in the same run):
 * <pre>
 * JAZZER_FUZZ=1 mvn -pl tests test -Dtest=GemmFuzzTest -DargLine=-Xmx256m \
 *     -Djazzer.instrument='org.backprop4j.**,io.jhdf.**'
 * </pre>
 * <ul>
 * <li>{@code -Djazzer.instrument} is needed for coverage feedback from the project's classes when
 *     they come from jars (Jazzer instruments only class directories by default).</li>
 * <li>Fuzz one target per Maven run, or several with {@code -Dtest='org.backprop4j.fuzz.*FuzzTest'
 *     -DforkCount=2 -DreuseForks=false}: a fresh JVM per class, two at a time. A second
 *     {@code @FuzzTest} in the same JVM would be skipped.</li>
 * <li>Longer, and with a per-input timeout: libFuzzer flags go in numbered JUnit configuration
 *     parameters, the first being a placeholder for the program name:
 *     {@code -Djazzer.internal.arg.0=fuzz -Djazzer.internal.arg.1=-max_total_time=300
 *     -Djazzer.internal.arg.2=-timeout=10}.</li>
 * <li>{@code -DargLine=-Xmx256m} makes an allocation sized by a forged length field show up as an
 *     {@link java.lang.OutOfMemoryError} finding. (On JDK 22+ the panama profile sets its own
 *     {@code argLine}, which wins: fuzz the loaders on JDK 17. The backend targets fuzz the panama
 *     backend too when they run on JDK 22+.)</li>
 * <li>{@code -Djazzer.keep_going=20} goes on after a finding, up to 20 distinct ones, to see
 *     them all in one run; the test then passes, so read the log ({@code == Java Exception}).</li>
 * <li>Each target prints, at the end, {@code fuzz <target>: N executions} (libFuzzer's runs and the
 *     regression inputs replayed before them) with how many reached a kernel with work, per
 *     operation and in all (backends), or were accepted and rejected with the named error
 *     (loaders); libFuzzer prints {@code Done N runs} for each target that fuzzed to the end.</li>
 * </ul>
 * A finding fails the test. Jazzer writes the input as {@code crash-<sha1>} into the target's
 * inputs directory above (or where {@code -artifact_prefix} says) and prints it in Base64, and the
 * test's message gives the call (backend, dtype, every argument) or the file's first bytes. A
 * native crash kills the forked JVM instead: Surefire reports it, and the input is written the same
 * way. Replay a finding with {@code mvn -pl tests test -Dtest=GemmFuzzTest} (regression mode runs
 * it), adding {@code -Dbackprop4j.fuzz.verbose} to print every call and its time. The corpus the
 * fuzzer grows goes to {@code tests/.cifuzz-corpus} unless {@code -Djazzer.internal.basedir} points
 * elsewhere (CI puts it under {@code tests/target}).
 *
 * <p>{@code .ci/run} fuzzes every target for 20 s on JDK 17 after {@code mvn verify} (about four
 * minutes on two cores, 0.8 to 1.2 million executions in all, 30,000 to 200,000 per target as the
 * machine's load allows), prints the {@code fuzz} lines and libFuzzer's total, and fails if a
 * target did not fuzz to the end. Five minutes each by hand, on two cores, ran 3.0 million
 * executions of {@code idx}, 3.1 million of {@code hdf5}, 2.3 million of {@code csv} and 3.3 million
 * of {@code modelFile} (6.7 million loads) without a finding.
 */
package org.backprop4j.fuzz;
