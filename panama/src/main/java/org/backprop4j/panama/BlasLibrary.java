package org.backprop4j.panama;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A system CBLAS found by name or path and linked through the FFM API: the addresses of
 * {@code cblas_sgemm} and {@code cblas_dgemm}, plus whatever the library tells about itself
 * (OpenBLAS's build configuration, BLIS's version) and its thread-count setter, if it has one.
 *
 * <p>GEMM is called through {@link #SGEMM} and {@link #DGEMM}: downcall handles that take the
 * function's address as their first argument. Being {@code static final}, they are constants to
 * the JIT, which inlines the downcall into its caller; the address comes from an instance field,
 * so libraries found for different settings can be used side by side.
 */
final class BlasLibrary {

    // CBLAS enum values (cblas.h); C enums are passed as int.
    static final int ROW_MAJOR = 101;
    static final int NO_TRANS = 111;
    static final int TRANS = 112;

    private static final Linker LINKER = Linker.nativeLinker();

    // void cblas_?gemm(order, transA, transB, m, n, k, alpha, *A, lda, *B, ldb, beta, *C, ldc)
    // critical(true): heap segments are passed as pointers into the Java arrays, pinned for the
    // call, instead of being copied; and there is no thread-state transition, which GEMM allows
    // since it never calls back into Java. The price: a safepoint (a GC) waits for the call to
    // return, as with JNI's critical arrays in the openblas backend; fine for a training loop
    // (DESIGN.md, section 4).
    static final MethodHandle SGEMM = LINKER.downcallHandle(
            FunctionDescriptor.ofVoid(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT,
                    JAVA_FLOAT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, JAVA_FLOAT, ADDRESS, JAVA_INT),
            Linker.Option.critical(true));
    static final MethodHandle DGEMM = LINKER.downcallHandle(
            FunctionDescriptor.ofVoid(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT,
                    JAVA_DOUBLE, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, JAVA_DOUBLE, ADDRESS, JAVA_INT),
            Linker.Option.critical(true));

    // ---- GEMM ----------------------------------------------------------------------------------

    // C = alpha op(A) op(B) + beta C through cblas_sgemm at address function; transposes as CBLAS
    // ints; a, b, c are heap segments starting at the first element of each matrix
    static void sgemm(MemorySegment function, int transA, int transB, int m, int n, int k,
                      float alpha, MemorySegment a, int lda, MemorySegment b, int ldb,
                      float beta, MemorySegment c, int ldc) {
        try {
            SGEMM.invokeExact(function, ROW_MAJOR, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        } catch (Throwable t) {
            throw PanamaBackend.rethrow(t);
        }
    }

    // C = alpha op(A) op(B) + beta C through cblas_dgemm at address function; as sgemm
    static void dgemm(MemorySegment function, int transA, int transB, int m, int n, int k,
                      double alpha, MemorySegment a, int lda, MemorySegment b, int ldb,
                      double beta, MemorySegment c, int ldc) {
        try {
            DGEMM.invokeExact(function, ROW_MAJOR, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        } catch (Throwable t) {
            throw PanamaBackend.rethrow(t);
        }
    }

    /** One lookup per setting and JVM: a library, once loaded, stays loaded. */
    private static final Map<String, Lookup> LOOKUPS = new ConcurrentHashMap<>();

    /** What a lookup found: a library, or why none could be used. */
    record Lookup(BlasLibrary library, String reason, Throwable cause) {
    }

    /** The name or path as it was asked for, e.g. {@code "libopenblas.so.0"}. */
    final String requested;
    /** The file the dynamic loader actually mapped, or {@link #requested} if it cannot tell. */
    final String file;
    /** The address of {@code cblas_sgemm}. */
    final MemorySegment sgemm;
    /** The address of {@code cblas_dgemm}. */
    final MemorySegment dgemm;
    private final String version;
    private final MethodHandle setThreads;
    private final MethodHandle getThreads;
    private final boolean blisThreads;

    private BlasLibrary(String requested, SymbolLookup symbols, MemorySegment sgemm, MemorySegment dgemm) {
        this.requested = requested;
        this.sgemm = sgemm;
        this.dgemm = dgemm;
        this.file = Dl.fileOf(sgemm).orElse(requested);
        Optional<MemorySegment> openblasSet = symbols.find("openblas_set_num_threads");
        if (openblasSet.isPresent()) {
            setThreads = LINKER.downcallHandle(openblasSet.get(), FunctionDescriptor.ofVoid(JAVA_INT));
            getThreads = symbols.find("openblas_get_num_threads")
                    .map(s -> LINKER.downcallHandle(s, FunctionDescriptor.of(JAVA_INT))).orElse(null);
            blisThreads = false;
        } else {
            // BLIS counts threads in dim_t, 64 bits unless built otherwise. A long argument is
            // right either way on the 64-bit ABIs (the callee reads the low half if dim_t is 32-bit).
            setThreads = symbols.find("bli_thread_set_num_threads")
                    .map(s -> LINKER.downcallHandle(s, FunctionDescriptor.ofVoid(JAVA_LONG))).orElse(null);
            getThreads = symbols.find("bli_thread_get_num_threads")
                    .map(s -> LINKER.downcallHandle(s, FunctionDescriptor.of(JAVA_LONG))).orElse(null);
            blisThreads = setThreads != null;
        }
        this.version = version(symbols);
    }

    // ---- Finding a library ------------------------------------------------------------------

    /**
     * The library for a {@code -Dbackprop4j.blas} setting: a name or path, or null/blank for the
     * default search ({@link #defaultCandidates()}). Never throws; the result is cached per setting.
     */
    static Lookup find(String setting) {
        String key = setting == null ? "" : setting.trim();
        return LOOKUPS.computeIfAbsent(key, k -> {
            if (k.isEmpty()) {
                return search(defaultCandidates());
            }
            Family family = Family.named(k);
            return family != null ? search(family, k) : explicit(k);
        });
    }

    /**
     * The families of the default search, best first, each also a {@code -Dbackprop4j.blas}
     * value of its own ({@code openblas}, {@code blis}, {@code blas}): that family's part of the
     * search alone.
     */
    enum Family {
        OPENBLAS("OpenBLAS", List.of("openblas-pthread", "openblas-openmp", "openblas-serial"),
                List.of("libopenblas.so.0", "libopenblas.so"),
                List.of("/opt/homebrew/opt/openblas/lib/libopenblas.dylib", "/usr/local/opt/openblas/lib/libopenblas.dylib",
                        "libopenblas.dylib"),
                List.of("libopenblas.dll", "openblas.dll")),
        BLIS("BLIS", List.of("blis-pthread", "blis-openmp", "blis-serial"), List.of("libblis.so.4", "libblis.so"),
                List.of("libblis.dylib"), List.of("libblis.dll", "blis.dll")),
        BLAS("CBLAS", List.of("blas"), List.of("libcblas.so.3", "libcblas.so", "libblas.so.3", "libblas.so"),
                List.of("/System/Library/Frameworks/Accelerate.framework/Accelerate", "libcblas.dylib", "libblas.dylib"),
                List.of("libcblas.dll", "cblas.dll", "libblas.dll", "blas.dll"));

        final String title;
        /** Debian's and Ubuntu's subdirectories of the multiarch directory for this family. */
        private final List<String> ownDirs;
        private final List<String> linuxNames;
        private final List<String> mac;
        private final List<String> windows;

        Family(String title, List<String> ownDirs, List<String> linuxNames, List<String> mac, List<String> windows) {
            this.title = title;
            this.ownDirs = ownDirs;
            this.linuxNames = linuxNames;
            this.mac = mac;
            this.windows = windows;
        }

        /** The family for a setting such as {@code blis} or {@code OpenBLAS} ({@code cblas} is {@link #BLAS}), or null. */
        static Family named(String setting) {
            String s = setting.toLowerCase(Locale.ROOT);
            if (s.equals("cblas")) {
                return BLAS;
            }
            for (Family f : values()) {
                if (f.name().toLowerCase(Locale.ROOT).equals(s)) {
                    return f;
                }
            }
            return null;
        }

        /** Where to look for this family, best first. */
        List<String> candidates() {
            String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
            if (os.contains("mac")) {
                return mac;
            }
            if (os.contains("win")) {
                return windows;
            }
            String multiarch = "/usr/lib/" + multiarch();
            List<String> out = new ArrayList<>();
            // Each name in each directory, then in the family's own directories, then by name alone.
            for (String dir : libraryDirectories(multiarch)) {
                for (String name : linuxNames) {
                    out.add(dir + "/" + name);
                }
            }
            for (String dir : ownDirs) {
                for (String name : linuxNames) {
                    out.add(multiarch + "/" + dir + "/" + name);
                }
            }
            out.addAll(linuxNames);
            return out;
        }
    }

    /** A search restricted to one family, for {@code -Dbackprop4j.blas=blis} and the like. */
    private static Lookup search(Family family, String setting) {
        Lookup l = search(family.candidates(), "no " + family.title + " library found");
        return l.library() != null ? l
                : new Lookup(null, "-D" + PanamaBackendProvider.BLAS_PROPERTY + "=" + setting + ": " + l.reason(), l.cause());
    }

    /**
     * Tries each candidate in turn: the first CBLAS wins; if none is one, the reason lists every
     * candidate with why it failed (paths that do not exist together, at the end).
     */
    static Lookup search(List<String> candidates) {
        return search(candidates, "no CBLAS library found (install one, e.g. apt-get install libopenblas0-pthread, or set -D"
                + PanamaBackendProvider.BLAS_PROPERTY + "=NAME|PATH)");
    }

    private static Lookup search(List<String> candidates, String none) {
        List<String> failed = new ArrayList<>();
        List<String> absent = new ArrayList<>();
        Throwable firstCause = null;
        for (String candidate : candidates) {
            if (isPath(candidate) && !exists(candidate)) {
                absent.add(candidate);
                continue;
            }
            Lookup l = open(candidate);
            if (l.library() != null) {
                return l;
            }
            if (l.cause() instanceof IllegalCallerException) {
                return l; // native access denied: every other candidate would fail the same way
            }
            failed.add(candidate + ": " + l.reason());
            if (firstCause == null) {
                firstCause = l.cause();
            }
        }
        if (!absent.isEmpty()) {
            failed.add("no such file: " + String.join(", ", absent));
        }
        return new Lookup(null, none + "; tried " + String.join("; ", failed), firstCause);
    }

    private static Lookup explicit(String setting) {
        Lookup l = isPath(setting) && !exists(setting) ? new Lookup(null, "no such file", null) : open(setting);
        return l.library() != null ? l
                : new Lookup(null, "-D" + PanamaBackendProvider.BLAS_PROPERTY + "=" + setting + ": " + l.reason(), l.cause());
    }

    private static boolean exists(String path) {
        try {
            return Files.exists(Path.of(path));
        } catch (InvalidPathException e) {
            return false;
        }
    }

    /** Loads one name or path and checks that it is a CBLAS; the reason does not repeat the name. */
    private static Lookup open(String nameOrPath) {
        try {
            Optional<String> loadedOpenBlas = Dl.loadedFile(OPENBLAS_SONAME, "openblas_get_config");
            SymbolLookup symbols;
            try {
                // The global arena: a library, once loaded, stays loaded. Its symbols then live in the
                // global scope, which a downcall need not acquire and release around each call (a
                // shared arena's scope costs two atomic updates per GEMM).
                symbols = SymbolLookup.libraryLookup(nameOrPath, Arena.global());
            } catch (IllegalArgumentException e) {
                // libraryLookup does not say why; the dynamic loader does.
                return new Lookup(null, Dl.whyNot(nameOrPath).orElse(e.getMessage()), e);
            }
            Optional<MemorySegment> s = symbols.find("cblas_sgemm");
            Optional<MemorySegment> d = symbols.find("cblas_dgemm");
            if (s.isEmpty() || d.isEmpty()) {
                String file = s.or(() -> d).or(() -> anySymbol(symbols)).flatMap(Dl::fileOf)
                        .map(f -> "loaded " + f + ", but it ").orElse("");
                String missing = s.isEmpty() ? "cblas_sgemm" : "cblas_dgemm";
                return new Lookup(null, file + "has no symbol " + missing
                        + ": not a CBLAS (a Fortran-only BLAS exports sgemm_, not the C interface)", null);
            }
            Optional<String> wrapped = borrowedOpenBlas(symbols, s.get(), loadedOpenBlas);
            if (wrapped.isPresent()) {
                return new Lookup(null, wrapped.get(), null);
            }
            return new Lookup(new BlasLibrary(nameOrPath, symbols, s.get(), d.get()), null, null);
        } catch (IllegalCallerException e) {
            // --illegal-native-access=deny, or a named module without native access.
            return new Lookup(null, "native access is denied: run java with --enable-native-access=ALL-UNNAMED", e);
        } catch (RuntimeException | LinkageError e) {
            return new Lookup(null, e.toString(), e);
        }
    }

    /** The soname under which OpenBLAS is linked, also by the openblas backend's copy. */
    private static final String OPENBLAS_SONAME = "libopenblas.so.0";

    /**
     * Why a CBLAS that is only a wrapper around OpenBLAS cannot be used, if it is one whose OpenBLAS
     * is not its own: Debian's {@code libblas.so.3} of OpenBLAS, say, holds the BLAS and CBLAS
     * entry points but takes OpenBLAS's kernels from {@code libopenblas.so.0}, by soname. If a
     * library of that soname was loaded before (the openblas backend's bundled OpenBLAS is), the
     * dynamic loader binds the wrapper to that one: two OpenBLAS builds mixed, and the first GEMM
     * crashed the JVM (OpenBLAS 0.3.21's wrapper on 0.3.31, SIGSEGV in sgemm_otcopy). Detected as:
     * OpenBLAS's own symbols come from another file than {@code cblas_sgemm}, in another directory,
     * and that file was the {@code libopenblas.so.0} loaded before this library was.
     */
    private static Optional<String> borrowedOpenBlas(SymbolLookup symbols, MemorySegment sgemm,
                                                     Optional<String> loadedBefore) {
        Optional<String> wrapper = Dl.fileOf(sgemm);
        Optional<String> core = symbols.find("openblas_get_config").flatMap(Dl::fileOf);
        if (wrapper.isEmpty() || core.isEmpty() || loadedBefore.isEmpty() || !core.equals(loadedBefore)
                || core.equals(wrapper)) {
            return Optional.empty();
        }
        Path wrapperDir = Path.of(wrapper.get()).getParent();
        if (wrapperDir == null || wrapperDir.equals(Path.of(core.get()).getParent())) {
            return Optional.empty(); // a wrapper next to its own OpenBLAS, e.g. loaded through it before
        }
        Path own = wrapperDir.resolve(OPENBLAS_SONAME);
        return Optional.of("loaded " + wrapper.get() + ", but it is a wrapper that takes OpenBLAS from " + OPENBLAS_SONAME
                + ", and in this JVM that is " + core.get() + " (loaded before, e.g. by the openblas backend), not its own:"
                + " mixing two OpenBLAS builds crashes; name the OpenBLAS library itself"
                + (Files.exists(own) ? ", -D" + PanamaBackendProvider.BLAS_PROPERTY + "=" + own : ""));
    }

    /** A symbol every C library has, to find the file of a library that is not a CBLAS. */
    private static Optional<MemorySegment> anySymbol(SymbolLookup symbols) {
        for (String name : new String[] {"sgemm_", "sin", "malloc"}) {
            Optional<MemorySegment> s = symbols.find(name);
            if (s.isPresent()) {
                return s;
            }
        }
        return Optional.empty();
    }

    private static boolean isPath(String s) {
        return s.indexOf('/') >= 0 || s.indexOf(java.io.File.separatorChar) >= 0;
    }

    /**
     * Where the default search looks, best first: OpenBLAS, BLIS, then any CBLAS by the generic
     * names ({@link Family}). Each name is tried as a path in the usual library directories (after
     * those of {@code LD_LIBRARY_PATH}) before it is handed to the dynamic loader by name: given a
     * bare name, the loader returns any library already loaded under that soname, such as the
     * OpenBLAS that the openblas backend bundles, and the panama backend would then use that copy or
     * the system's depending on which backend was probed first. Debian and Ubuntu install OpenBLAS
     * and BLIS in subdirectories and link them into the usual directory through the alternatives
     * system; those subdirectories are searched too.
     */
    static List<String> defaultCandidates() {
        List<String> out = new ArrayList<>();
        for (Family f : Family.values()) {
            out.addAll(f.candidates());
        }
        return out;
    }

    /** The directories of {@code LD_LIBRARY_PATH}, then the usual library directories. */
    private static List<String> libraryDirectories(String multiarch) {
        List<String> dirs = new ArrayList<>();
        String ldPath = System.getenv("LD_LIBRARY_PATH");
        if (ldPath != null) {
            for (String d : ldPath.split(":")) {
                if (d.startsWith("/")) {
                    dirs.add(d);
                }
            }
        }
        dirs.addAll(List.of(multiarch, "/usr/lib64", "/usr/lib", "/usr/local/lib"));
        return dirs;
    }

    /** Debian's multiarch directory name for this JVM's architecture, e.g. {@code x86_64-linux-gnu}. */
    private static String multiarch() {
        String arch = System.getProperty("os.arch", "");
        switch (arch) {
            case "amd64": case "x86_64": return "x86_64-linux-gnu";
            case "aarch64": case "arm64": return "aarch64-linux-gnu";
            case "ppc64le": return "powerpc64le-linux-gnu";
            case "s390x": return "s390x-linux-gnu";
            case "riscv64": return "riscv64-linux-gnu";
            default: return arch + "-linux-gnu";
        }
    }

    // ---- What the library says about itself -------------------------------------------------

    /** E.g. {@code "OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY SkylakeX MAX_THREADS=64, core SkylakeX"}, or "". */
    private static String version(SymbolLookup symbols) {
        try {
            Optional<MemorySegment> config = symbols.find("openblas_get_config");
            if (config.isPresent()) {
                String v = callString(config.get());
                Optional<MemorySegment> core = symbols.find("openblas_get_corename");
                return core.isPresent() ? v + ", core " + callString(core.get()) : v;
            }
            Optional<MemorySegment> blis = symbols.find("bli_info_get_version_str");
            if (blis.isPresent()) {
                return "BLIS " + callString(blis.get());
            }
        } catch (Throwable t) {
            // A library that exports these names with other signatures: just do without the version.
        }
        return "";
    }

    /** Calls {@code const char* f(void)}. */
    private static String callString(MemorySegment function) throws Throwable {
        MemorySegment s = (MemorySegment) LINKER.downcallHandle(function, FunctionDescriptor.of(ADDRESS)).invokeExact();
        return s.equals(MemorySegment.NULL) ? "" : s.reinterpret(4096).getString(0).trim();
    }

    /**
     * One line for {@code doctor} and the backend's details, e.g. {@code "OpenBLAS 0.3.21 DYNAMIC_ARCH
     * NO_AFFINITY SkylakeX MAX_THREADS=64, core SkylakeX, from /usr/lib/x86_64-linux-gnu/libopenblas.so.0
     * at /usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblasp-r0.3.21.so, 2 threads"}.
     */
    String describe() {
        return describe(threads());
    }

    /**
     * As {@link #describe()}, with {@code threads} as the thread count ({@code -1}: the library
     * decides), e.g. the one the backend will set: BLIS reports -1 until it is set.
     */
    String describe(int n) {
        StringBuilder s = new StringBuilder();
        s.append(version.isEmpty() ? "CBLAS (no version information)" : version).append(", from ").append(where());
        s.append(n == 1 ? ", 1 thread" : n > 0 ? ", " + n + " threads" : ", threads as the library decides");
        return s.toString();
    }

    /** The library's own description (version, build, core), or "" if it has none. */
    String version() {
        return version;
    }

    /** True if the library has a thread-count setting we can call (OpenBLAS, BLIS). */
    boolean hasThreadControl() {
        return setThreads != null;
    }

    /** Sets the library's thread count (process-wide); does nothing if it has no such setting. */
    void setThreads(int threads) {
        if (setThreads == null) {
            return;
        }
        try {
            if (blisThreads) {
                setThreads.invokeExact((long) threads);
            } else {
                setThreads.invokeExact(threads);
            }
        } catch (Throwable t) {
            throw PanamaBackend.rethrow(t);
        }
    }

    /** The library's thread count, or -1 if it does not tell. */
    int threads() {
        if (getThreads == null) {
            return -1;
        }
        try {
            // BLIS returns dim_t: the low 32 bits are the count whatever its width.
            return blisThreads ? (int) (long) getThreads.invokeExact() : (int) getThreads.invokeExact();
        } catch (Throwable t) {
            throw PanamaBackend.rethrow(t);
        }
    }

    /** E.g. {@code "libopenblas.so.0 at /usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblasp-r0.3.21.so"}. */
    String where() {
        return file.equals(requested) ? requested : requested + " at " + file;
    }

    // ---- The dynamic loader -------------------------------------------------------------------

    /** dlerror and dladdr, where the C library has them (glibc, musl, macOS); absent elsewhere. */
    private static final class Dl {

        private static final SymbolLookup LIBC = LINKER.defaultLookup();
        private static final int RTLD_LAZY = 1;
        // glibc and musl; only used on Linux, where a wrapped OpenBLAS can be mixed up (borrowedOpenBlas).
        private static final int RTLD_NOLOAD = 4;
        private static final boolean LINUX = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux");
        private static final MethodHandle DLOPEN = handle("dlopen", FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_INT));
        private static final MethodHandle DLSYM = handle("dlsym", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS));
        private static final MethodHandle DLERROR = handle("dlerror", FunctionDescriptor.of(ADDRESS));
        private static final MethodHandle DLCLOSE = handle("dlclose", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        private static final MethodHandle DLADDR = handle("dladdr", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));

        private Dl() {
        }

        private static MethodHandle handle(String name, FunctionDescriptor descriptor) {
            try {
                return LIBC.find(name).map(s -> LINKER.downcallHandle(s, descriptor)).orElse(null);
            } catch (RuntimeException e) {
                return null;
            }
        }

        /** Why {@code dlopen} refuses a library, e.g. "cannot open shared object file: No such file or directory". */
        static Optional<String> whyNot(String nameOrPath) {
            if (DLOPEN == null || DLERROR == null) {
                return Optional.empty();
            }
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment handle = (MemorySegment) DLOPEN.invokeExact(arena.allocateFrom(nameOrPath), RTLD_LAZY);
                if (!handle.equals(MemorySegment.NULL)) {
                    if (DLCLOSE != null) {
                        int ignored = (int) DLCLOSE.invokeExact(handle);
                    }
                    return Optional.empty();
                }
                MemorySegment message = (MemorySegment) DLERROR.invokeExact();
                if (message.equals(MemorySegment.NULL)) {
                    return Optional.empty();
                }
                String m = message.reinterpret(4096).getString(0);
                // glibc starts the message with the name asked for; it is printed already.
                return Optional.of(m.startsWith(nameOrPath + ": ") ? m.substring(nameOrPath.length() + 2) : m);
            } catch (Throwable t) {
                return Optional.empty();
            }
        }

        /**
         * The file of the library already loaded under {@code name} (a soname), through one of its
         * symbols; empty if none is loaded, or off Linux. Loads nothing.
         */
        static Optional<String> loadedFile(String name, String symbol) {
            if (!LINUX || DLOPEN == null || DLSYM == null || DLCLOSE == null) {
                return Optional.empty();
            }
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment handle = (MemorySegment) DLOPEN.invokeExact(arena.allocateFrom(name), RTLD_LAZY | RTLD_NOLOAD);
                if (handle.equals(MemorySegment.NULL)) {
                    return Optional.empty();
                }
                try {
                    MemorySegment address = (MemorySegment) DLSYM.invokeExact(handle, arena.allocateFrom(symbol));
                    return address.equals(MemorySegment.NULL) ? Optional.empty() : fileOf(address);
                } finally {
                    int ignored = (int) DLCLOSE.invokeExact(handle); // RTLD_NOLOAD took a reference
                }
            } catch (Throwable t) {
                return Optional.empty();
            }
        }

        /** The file of the loaded library that holds {@code symbol}, resolved through symbolic links. */
        static Optional<String> fileOf(MemorySegment symbol) {
            if (DLADDR == null) {
                return Optional.empty();
            }
            try (Arena arena = Arena.ofConfined()) {
                // Dl_info { const char* dli_fname; void* dli_fbase; const char* dli_sname; void* dli_saddr; }
                MemorySegment info = arena.allocate(ADDRESS.byteSize() * 4, ADDRESS.byteAlignment());
                if ((int) DLADDR.invokeExact(symbol, info) == 0) {
                    return Optional.empty();
                }
                MemorySegment name = info.get(ADDRESS, 0);
                if (name.equals(MemorySegment.NULL)) {
                    return Optional.empty();
                }
                String file = name.reinterpret(4096).getString(0);
                try {
                    return Optional.of(Path.of(file).toRealPath().toString());
                } catch (java.io.IOException | RuntimeException e) {
                    return Optional.of(file);
                }
            } catch (Throwable t) {
                return Optional.empty();
            }
        }
    }
}
