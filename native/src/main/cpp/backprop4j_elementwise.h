// The element-wise kernels of the openblas backend: activations, softmax, column sums, fused
// losses, vector operations and optimizer steps, in float and double. The oracle is
// org.backprop4j.backend.reference.ReferenceBackend; every formula below mirrors it.
//
// Matrices are row-major: element (r, c) of X is x[r * ldx + c] once the exported wrapper has
// applied the offset. Callers have validated every index in Java; nothing here checks bounds.
//
// Accuracy. identity, relu and leaky relu, all activation derivatives, column sums, MSE, axpy,
// scal and the optimizer steps evaluate exactly the reference's double expressions and round
// once, so they agree with it bit for bit. Sums are accumulated in double as in the reference
// (losses and column sums in the reference's order, softmax denominators in 8 lanes). sigmoid,
// tanh and softmax use our own vectorizable exp and expm1 (Cody-Waite reduction, Taylor
// polynomial, scaling by exponent bits) and are within a few ulp of the exact result.
//
// Floating-point contraction. g++ fuses a * b + c into one FMA wherever the target has FMA
// (for C++ the default is -ffp-contract=fast, also with -std=c++11). That would break the
// bit-exact kernels, so contraction is off for everything defined here, except in the sigmoid /
// tanh / softmax workers (BP4J_FMA_BEGIN ... BP4J_FMA_END), where FMA makes the polynomials
// 30-60 % faster and no more inaccurate; there the results of the FMA clones and of the
// baseline clone may differ in the last bit. -ffast-math is rejected: it would break the
// rounding tricks and the NaN handling. The Adam and RMSProp loops vectorize only with
// -fno-math-errno (set in the pom; a pragma cannot set it): otherwise sqrt may write errno.
//
// Dispatch. The loops are written so that GCC auto-vectorizes them at -O3, and every worker
// (the functions marked BP4J_HOT) is compiled three times through
// __attribute__((target_clones("avx512f", "arch=x86-64-v3", "default"))): GCC emits one clone
// per instruction set (x86-64-v3 is AVX2 plus FMA, BMI and the like, which every Intel and AMD
// AVX2 CPU has) and an ifunc resolver, which the dynamic loader runs once when the library is
// loaded and which picks the best clone the CPU and OS support. The library itself is built for baseline x86-64 (JavaCPP's
// -march=x86-64), so it loads on any x86-64 CPU. The workers are `static`: this header is
// compiled in exactly one translation unit (the JNI glue JavaCPP generates), and GCC 12 gives a
// static multi-versioned function a local IFUNC symbol with an R_X86_64_IRELATIVE relocation,
// which needs no exported name. They are `noinline` because an ifunc cannot be inlined anyway.
// The element math is in `always_inline` helpers without a target attribute, so that each clone
// inlines and vectorizes its own copy (a baseline callee may be inlined into a caller with a
// wider target, never the reverse). The exported bp4j_* functions are thin `static inline`
// wrappers that apply the offsets and call a worker.
// Defining BP4J_TARGET_CLONES (to nothing, say) before including this header replaces the
// clones by one version built for the compiler's -m flags: that is how a test harness pins an
// instruction set.
//
// Aliasing. Java may pass the same array for any two operands, so no pointer to a Java array
// is declared __restrict__: GCC versions each vectorized loop with a run-time overlap check and
// falls back to the sequential loop, which has the reference's semantics, when operands
// overlap. Every loop reads element i of its inputs before writing element i of its outputs.
// The fused losses allow dZ to be Z itself (same offset and leading dimension); they detect it
// and then store only dZ.
#ifndef BACKPROP4J_ELEMENTWISE_H
#define BACKPROP4J_ELEMENTWISE_H

#include <cfloat>
#include <cmath>
#include <cstddef>
#include <cstring>
#include <stdint.h>

#ifdef __FAST_MATH__
#error "backprop4j_elementwise.h needs IEEE arithmetic: -ffast-math breaks its rounding tricks and NaN handling"
#endif

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC push_options
#pragma GCC optimize("fp-contract=off")
#define BP4J_FMA_BEGIN _Pragma("GCC push_options") _Pragma("GCC optimize(\"fp-contract=fast\")")
#define BP4J_FMA_END _Pragma("GCC pop_options")
#define BP4J_POP_OPTIONS 1
#else
#define BP4J_FMA_BEGIN
#define BP4J_FMA_END
#endif

#ifndef BP4J_TARGET_CLONES
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__ELF__)
#define BP4J_TARGET_CLONES __attribute__((target_clones("avx512f", "arch=x86-64-v3", "default")))
#define BP4J_RUNTIME_DISPATCH 1
#else
#define BP4J_TARGET_CLONES
#endif
#endif

#define BP4J_HOT static BP4J_TARGET_CLONES __attribute__((noinline, unused))
#define BP4J_INLINE static inline __attribute__((always_inline))

typedef std::ptrdiff_t bp4j_index;

// ---- Bit casts --------------------------------------------------------------------------------

BP4J_INLINE uint32_t bp4j_bits(float x) {
    uint32_t u;
    std::memcpy(&u, &x, sizeof u);
    return u;
}

BP4J_INLINE float bp4j_float(uint32_t u) {
    float x;
    std::memcpy(&x, &u, sizeof x);
    return x;
}

BP4J_INLINE uint64_t bp4j_bits(double x) {
    uint64_t u;
    std::memcpy(&u, &x, sizeof u);
    return u;
}

BP4J_INLINE double bp4j_double(uint64_t u) {
    double x;
    std::memcpy(&x, &u, sizeof x);
    return x;
}

// c ? a : b as bit operations. At -O3 with the default -ftrapping-math, GCC turns a plain ?: on
// computed values into a branch that it cannot vectorize: it sinks the arithmetic of one arm
// into the branch or duplicates the code after the ?: into both arms (to fold a constant), and
// a floating-point operation that may trap cannot be executed speculatively without AVX-512
// masking. A bit mask keeps both values in the data flow.
BP4J_INLINE float bp4j_select(bool c, float a, float b) {
    uint32_t m = 0u - (uint32_t) c;
    return bp4j_float((bp4j_bits(a) & m) | (bp4j_bits(b) & ~m));
}

// The double twin makes its mask as a double (all-ones or zero bits), because SSE2 cannot
// vectorize the conversion of a comparison into a 64-bit integer; that form vectorizes wherever
// the arms are constants or values needed anyway, as in exp and sigmoid.
BP4J_INLINE double bp4j_select(bool c, double a, double b) {
    uint64_t m = bp4j_bits(c ? bp4j_double(~0ull) : 0.0);
    return bp4j_double((bp4j_bits(a) & m) | (bp4j_bits(b) & ~m));
}

// c ? a : b for the derivative factors, which multiply the selected constant into dX: GCC
// vectorizes that only with an integer mask, and in double only with AVX2 or AVX-512 (the
// baseline clone runs those two double loops scalar).
BP4J_INLINE double bp4j_select_factor(bool c, double a, double b) {
    uint64_t m = 0u - (uint64_t) c;
    return bp4j_double((bp4j_bits(a) & m) | (bp4j_bits(b) & ~m));
}

BP4J_INLINE float bp4j_select_factor(bool c, float a, float b) {
    return bp4j_select(c, a, b);
}

// ---- exp and expm1 ----------------------------------------------------------------------------
// x = n ln2 + r with n = rint(x / ln2) and |r| <= ln2/2; ln2 = LN2_HI + LN2_LO where LN2_HI has
// few enough significant bits that n * LN2_HI and x - n * LN2_HI are exact (Cody-Waite).
// rint uses the 1.5 * 2^(p-1) trick: adding it rounds to an integer that then sits in the low
// mantissa bits, so n is also read from the bits without a (possibly UB) float-to-int cast.
// e^r - 1 = r + r^2 (1/2! + r/3! + ...), Taylor to r^8/8! (float) or r^13/13! (double): the
// truncation error is below 0.1 ulp. 2^n is built from exponent bits as 2^n1 * 2^n2 with both
// factors normal, so results that overflow become +inf and subnormal results are rounded once.
// Inputs are clamped where the result is already inf or 0 (comparisons written so that NaN
// passes through and gives NaN).

static const float BP4J_LOG2E_F = 1.44269504088896341f;
static const float BP4J_LN2_HI_F = 0.693145751953125f;        // 16 significant bits
static const float BP4J_LN2_LO_F = 1.428606765330187e-06f;
static const float BP4J_RINT_F = 12582912.0f;                 // 1.5 * 2^23
static const uint32_t BP4J_RINT_F_BITS = 0x4B400000u;

static const double BP4J_LOG2E_D = 1.4426950408889634;
static const double BP4J_LN2_HI_D = 0.6931471805598903;        // 42 significant bits
static const double BP4J_LN2_LO_D = 5.497923018708371e-14;
static const double BP4J_RINT_D = 6755399441055744.0;          // 1.5 * 2^52
static const uint64_t BP4J_RINT_D_BITS = 0x4338000000000000ull;

// (e^r - 1 - r) / r^2 for |r| <= ln2/2
BP4J_INLINE float bp4j_expm1_tail(float r) {
    return 1.0f / 2 + r * (1.0f / 6 + r * (1.0f / 24 + r * (1.0f / 120 + r * (1.0f / 720
           + r * (1.0f / 5040 + r * (1.0f / 40320))))));
}

BP4J_INLINE double bp4j_expm1_tail(double r) {
    return 1.0 / 2 + r * (1.0 / 6 + r * (1.0 / 24 + r * (1.0 / 120 + r * (1.0 / 720
           + r * (1.0 / 5040 + r * (1.0 / 40320 + r * (1.0 / 362880 + r * (1.0 / 3628800
           + r * (1.0 / 39916800 + r * (1.0 / 479001600 + r * (1.0 / 6227020800.0)))))))))));
}

// e^(x + xlo), where xlo is a finite correction far below ulp(x) (the rounding error of a float
// argument computed in float: the reference computes it exactly in double, and for |x| ~ 80 the
// error of x alone would cost ~40 ulp of the result). Pass xlo = 0 when x is exact.
BP4J_INLINE float bp4j_exp_hl(float x, float xlo) {
    float xc = bp4j_select(x > 100.0f, 100.0f, x);       // e^88.73 overflows
    xc = bp4j_select(xc < -110.0f, -110.0f, xc);         // e^-103.98 underflows
    float t = xc * BP4J_LOG2E_F + BP4J_RINT_F;
    float n = t - BP4J_RINT_F;
    uint32_t ni = bp4j_bits(t) - BP4J_RINT_F_BITS;
    float r = (xc - n * BP4J_LN2_HI_F) - n * BP4J_LN2_LO_F + xlo;
    float p = 1.0f + (r + r * r * bp4j_expm1_tail(r));
    uint32_t h = (ni + 256u) >> 1;              // n1 = h - 128, n2 = n - n1, both in [-80, 72]
    float s1 = bp4j_float((h - 1u) << 23);
    float s2 = bp4j_float((ni - h + 255u) << 23);
    return p * s1 * s2;
}

BP4J_INLINE double bp4j_exp(double x) {
    double xc = bp4j_select(x > 720.0, 720.0, x);         // e^709.79 overflows
    xc = bp4j_select(xc < -760.0, -760.0, xc);            // e^-745.14 underflows
    double t = xc * BP4J_LOG2E_D + BP4J_RINT_D;
    double n = t - BP4J_RINT_D;
    uint64_t ni = bp4j_bits(t) - BP4J_RINT_D_BITS;
    double r = (xc - n * BP4J_LN2_HI_D) - n * BP4J_LN2_LO_D;
    double p = 1.0 + (r + r * r * bp4j_expm1_tail(r));
    // Logical shifts only: AVX2 has no 64-bit arithmetic shift.
    uint64_t h = (ni + 2048u) >> 1;             // n1 = h - 1024, n2 = n - n1, both in [-549, 520]
    double s1 = bp4j_double((h - 1u) << 52);
    double s2 = bp4j_double((ni - h + 2047u) << 52);
    return p * s1 * s2;
}

// e^x - 1 for x <= 0 (or NaN), accurate relative to the result also near 0:
// e^x - 1 = 2^n (e^r - 1) + (2^n - 1), where 2^n - 1 is exact and for n <= -1 the two terms
// hardly cancel.
BP4J_INLINE float bp4j_expm1_nonpositive(float x) {
    float xc = bp4j_select(x < -40.0f, -40.0f, x);       // e^-40 - 1 rounds to -1
    float t = xc * BP4J_LOG2E_F + BP4J_RINT_F;
    float n = t - BP4J_RINT_F;
    uint32_t ni = bp4j_bits(t) - BP4J_RINT_F_BITS;
    float r = (xc - n * BP4J_LN2_HI_F) - n * BP4J_LN2_LO_F;
    float em = r + r * r * bp4j_expm1_tail(r);
    float s = bp4j_float((ni + 127u) << 23);    // n >= -58: normal
    return s * em + (s - 1.0f);
}

BP4J_INLINE double bp4j_expm1_nonpositive(double x) {
    double xc = bp4j_select(x < -80.0, -80.0, x);         // e^-80 - 1 rounds to -1
    double t = xc * BP4J_LOG2E_D + BP4J_RINT_D;
    double n = t - BP4J_RINT_D;
    uint64_t ni = bp4j_bits(t) - BP4J_RINT_D_BITS;
    double r = (xc - n * BP4J_LN2_HI_D) - n * BP4J_LN2_LO_D;
    double em = r + r * r * bp4j_expm1_tail(r);
    double s = bp4j_double((ni + 1023u) << 52); // n >= -116: normal
    return s * em + (s - 1.0);
}

// ---- sigmoid, tanh ----------------------------------------------------------------------------

// The rounding error of s = fl(a + b): a + b == s + err exactly (Knuth's TwoSum); 0 when s is
// not finite, where the error is meaningless (and would be NaN).
BP4J_INLINE float bp4j_sum_error(float a, float b, float s) {
    float bv = s - a;
    float av = s - bv;
    float err = (a - av) + (b - bv);
    return bp4j_select(std::fabs(s) <= FLT_MAX, err, 0.0f);
}

// 1 / (1 + e^-z) for z >= 0, e^z / (1 + e^z) below: e^-|z| never overflows. z = s + slo.
// On x86 an operation that produces a subnormal takes a ~150-cycle microcode assist, which made
// saturated sigmoids 6 times slower. So e^-|z| is computed as e^-87 (still normal) where the
// result does not depend on it: it is 1 for z > 87 and 0 for z <= -104 (below 2^-150). Only for
// z in (-104, -87.3), where the result itself is subnormal, is the assist paid, as the
// reference pays it when it rounds to float.
BP4J_INLINE float bp4j_sigmoid_hl(float s, float slo) {
    bool zero = s <= -104.0f;
    float a = bp4j_select((s > 87.0f) | zero, -87.0f, -std::fabs(s));  // | rather than ||: no branch
    // -|z| = -|s| + (s > 0 ? -slo : slo); slo is 0 when s is 0.
    float alo = bp4j_select(s > 0.0f, -slo, slo);
    float e = bp4j_exp_hl(a, alo);
    float p = bp4j_select(s >= 0.0f, 1.0f, e) / (1.0f + e);
    return bp4j_select(zero, 0.0f, p);
}

BP4J_INLINE double bp4j_sigmoid(double z) {
    double e = bp4j_exp(-std::fabs(z));
    return bp4j_select(z >= 0.0, 1.0, e) / (1.0 + e);
}

// tanh|z| = -m / (2 + m) with m = e^(-2|z|) - 1 in [-1, 0]: no cancellation anywhere, so the
// relative error stays small from subnormal z to saturation; the sign is copied from z (tanh is
// odd, -0 stays -0). For z = s + slo, tanh(z) = tanh(s) + slo (1 - tanh^2 s) to first order.
BP4J_INLINE float bp4j_tanh_hl(float s, float slo) {
    float m = bp4j_expm1_nonpositive(-2.0f * std::fabs(s));
    float t = -m / (2.0f + m);
    uint32_t sign = bp4j_bits(s) & 0x80000000u;
    t = t + bp4j_float(bp4j_bits(slo) ^ sign) * (1.0f - t * t);  // correction towards |z|
    return bp4j_float((bp4j_bits(t) & 0x7FFFFFFFu) | sign);
}

BP4J_INLINE double bp4j_tanh(double z) {
    double m = bp4j_expm1_nonpositive(-2.0 * std::fabs(z));
    double t = -m / (2.0 + m);
    return bp4j_double((bp4j_bits(t) & 0x7FFFFFFFFFFFFFFFull) | (bp4j_bits(z) & 0x8000000000000000ull));
}

// g(x + b) for the float and double twins. The reference forms x + b in double, which for
// floats is exact; we form it in float and carry its rounding error into the function.
BP4J_INLINE float bp4j_sigmoid_of_sum(float x, float b) {
    float s = x + b;
    return bp4j_sigmoid_hl(s, bp4j_sum_error(x, b, s));
}

BP4J_INLINE double bp4j_sigmoid_of_sum(double x, double b) {
    return bp4j_sigmoid(x + b);
}

BP4J_INLINE float bp4j_tanh_of_sum(float x, float b) {
    float s = x + b;
    return bp4j_tanh_hl(s, bp4j_sum_error(x, b, s));
}

BP4J_INLINE double bp4j_tanh_of_sum(double x, double b) {
    return bp4j_tanh(x + b);
}

// e^(x - m), the softmax numerator.
BP4J_INLINE float bp4j_exp_of_difference(float x, float m) {
    float s = x - m;
    return bp4j_exp_hl(s, bp4j_sum_error(x, -m, s));
}

BP4J_INLINE double bp4j_exp_of_difference(double x, double m) {
    return bp4j_exp(x - m);
}

// ---- Row reductions ---------------------------------------------------------------------------
// A plain `m = max(m, x[c])` or `s += x[c]` loop over floating point is not vectorized without
// -ffast-math, because vectorizing it reorders the operations (and max is not associative in
// the presence of NaN and signed zeros).

// Floats ordered as signed integers: negative values get their magnitude bits flipped. The map
// is its own inverse.
BP4J_INLINE int32_t bp4j_order_key(float x) {
    int32_t i = (int32_t) bp4j_bits(x);
    return i ^ (int32_t) ((uint32_t) (i >> 31) >> 1);
}

BP4J_INLINE int64_t bp4j_order_key(double x) {
    int64_t i = (int64_t) bp4j_bits(x);
    return i ^ (int64_t) ((uint64_t) (i >> 63) >> 1);
}

BP4J_INLINE float bp4j_from_order_key(int32_t k) {
    return bp4j_float((uint32_t) (k ^ (int32_t) ((uint32_t) (k >> 31) >> 1)));
}

BP4J_INLINE double bp4j_from_order_key(int64_t k) {
    return bp4j_double((uint64_t) (k ^ (int64_t) ((uint64_t) (k >> 63) >> 1)));
}

// max_c x[c], as an integer max (which vectorizes) over the order keys. A NaN in the row may or
// may not win, but either way every exp(x - max) of the row, hence every output, becomes NaN,
// as in the reference.
template <typename T>
BP4J_INLINE T bp4j_row_max(const T* x, int n) {
    typedef decltype(bp4j_order_key(T(0))) key;
    key m = bp4j_order_key(T(-INFINITY));
    for (int c = 0; c < n; ++c) {
        key k = bp4j_order_key(x[c]);
        m = k > m ? k : m;
    }
    return bp4j_from_order_key(m);
}

// sum_c x[c] in double, in 8 interleaved partial sums.
template <typename T>
BP4J_INLINE double bp4j_row_sum(const T* x, int n) {
    double lane[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    int c = 0;
    for (; c + 8 <= n; c += 8) {
        for (int j = 0; j < 8; ++j) {
            lane[j] += x[c + j];
        }
    }
    double s = ((lane[0] + lane[4]) + (lane[2] + lane[6])) + ((lane[1] + lane[5]) + (lane[3] + lane[7]));
    for (; c < n; ++c) {
        s += x[c];
    }
    return s;
}

// ---- Layer kernels ----------------------------------------------------------------------------

// Prefetches the 4 KB of X that follow element (r, c) in row-major order (the rest of row r, or
// the start of row r + 1). The exp-based loops spend ~1 ns per element, too long for the
// out-of-order window to keep enough cache misses in flight; measured on a 256 MB array, float
// sigmoid went from 3.2 to 10 GB/s, about its speed on cached data.
template <typename T>
BP4J_INLINE void bp4j_prefetch_ahead(const T* x, bp4j_index ldx, int rows, int cols, int r, int c) {
    if (c >= cols) {
        if (++r >= rows) {
            return;
        }
        c = 0;
    }
    const char* p = reinterpret_cast<const char*>(x + r * ldx + c);
    std::size_t bytes = (std::size_t) (cols - c) * sizeof(T);
    bytes = bytes < 4096 ? bytes : 4096;
    for (std::size_t o = 0; o < bytes; o += 64) {
        __builtin_prefetch(p + o, 1, 3);
    }
}

// X[r][c] = g(X[r][c] + bias[c])     g by Activation ordinal: 0 identity, 1 relu, 2 leaky relu, 3 sigmoid, 4 tanh
// X is (rows, cols), bias is (cols)
template <typename T>
BP4J_INLINE void bp4j_bias_activation_rows(int act, int rows, int cols, T* x, bp4j_index ldx, const T* bias) {
    const int block = 4096 / sizeof(T);  // sigmoid and tanh run in blocks of 4 KB, prefetching the next
    switch (act) {
    case 0:
        // float: fl(x + b) equals the reference's float(double(x) + b): rounding twice through
        // double is innocuous for +, -, *, /, sqrt of floats since 53 >= 2 * 24 + 2.
        for (int r = 0; r < rows; ++r) {
            T* row = x + r * ldx;
            for (int c = 0; c < cols; ++c) {
                row[c] = row[c] + bias[c];
            }
        }
        break;
    case 1:
        // Math.max(0, z): NaN stays NaN and -0 becomes +0.
        for (int r = 0; r < rows; ++r) {
            T* row = x + r * ldx;
            for (int c = 0; c < cols; ++c) {
                T z = row[c] + bias[c];
                row[c] = z <= 0 ? T(0) : z;
            }
        }
        break;
    case 2:
        // In double for both twins: float(0.01 * z) rounds twice, as the reference does.
        for (int r = 0; r < rows; ++r) {
            T* row = x + r * ldx;
            for (int c = 0; c < cols; ++c) {
                // z > 0 ? z : 0.01 z == max(z, 0.01 z), also for -0, infinities and NaN; written
                // as a max it vectorizes everywhere.
                double z = (double) row[c] + (double) bias[c];
                double leak = 0.01 * z;
                row[c] = (T) (z > leak ? z : leak);
            }
        }
        break;
    case 3:
        for (int r = 0; r < rows; ++r) {
            T* row = x + r * ldx;
            for (int c0 = 0; c0 < cols; c0 += block) {
                int end = cols - c0 < block ? cols : c0 + block;
                bp4j_prefetch_ahead(x, ldx, rows, cols, r, end);
                for (int c = c0; c < end; ++c) {
                    row[c] = bp4j_sigmoid_of_sum(row[c], bias[c]);
                }
            }
        }
        break;
    case 4:
        for (int r = 0; r < rows; ++r) {
            T* row = x + r * ldx;
            for (int c0 = 0; c0 < cols; c0 += block) {
                int end = cols - c0 < block ? cols : c0 + block;
                bp4j_prefetch_ahead(x, ldx, rows, cols, r, end);
                for (int c = c0; c < end; ++c) {
                    row[c] = bp4j_tanh_of_sum(row[c], bias[c]);
                }
            }
        }
        break;
    default:
        break;
    }
}

// identity, relu and leaky relu have no a * b + c to contract: they stay bit-exact here too.
BP4J_FMA_BEGIN
BP4J_HOT void bp4j_sbias_activation_k(int act, int rows, int cols, float* x, bp4j_index ldx, const float* bias) {
    bp4j_bias_activation_rows<float>(act, rows, cols, x, ldx, bias);
}

BP4J_HOT void bp4j_dbias_activation_k(int act, int rows, int cols, double* x, bp4j_index ldx, const double* bias) {
    bp4j_bias_activation_rows<double>(act, rows, cols, x, ldx, bias);
}
BP4J_FMA_END

// X[r][c] = g(X[r][c] + bias[c])
// X is (rows, cols), bias is (cols)
static inline void bp4j_sbias_activation(int act, int rows, int cols, float* x, int offX, int ldx,
                                         const float* bias, int offBias) {
    bp4j_sbias_activation_k(act, rows, cols, x + offX, ldx, bias + offBias);
}

// X[r][c] = g(X[r][c] + bias[c])
// X is (rows, cols), bias is (cols)
static inline void bp4j_dbias_activation(int act, int rows, int cols, double* x, int offX, int ldx,
                                         const double* bias, int offBias) {
    bp4j_dbias_activation_k(act, rows, cols, x + offX, ldx, bias + offBias);
}

// dX[r][c] *= g'(z) taken from the output a = A[r][c]: 1, a > 0, a > 0 ? 1 : 0.01, a (1 - a), 1 - a^2
// A and dX are (rows, cols)
template <typename T>
BP4J_INLINE void bp4j_activation_backward_rows(int act, int rows, int cols, const T* a, bp4j_index lda,
                                               T* dx, bp4j_index lddx) {
    if (lda == cols && lddx == cols) {
        // Both contiguous: one long row. rows * cols fits in an int, it is at most an array length.
        cols = rows * cols;
        rows = 1;
    }
    switch (act) {
    case 1:
        // Multiplying by 0 rather than storing 0 keeps the reference's NaN * 0 = NaN and -x * 0 = -0.
        for (int r = 0; r < rows; ++r) {
            const T* ar = a + r * lda;
            T* dr = dx + r * lddx;
            for (int c = 0; c < cols; ++c) {
                dr[c] = dr[c] * bp4j_select_factor(ar[c] > 0, T(1), T(0));
            }
        }
        break;
    case 2:
        for (int r = 0; r < rows; ++r) {
            const T* ar = a + r * lda;
            T* dr = dx + r * lddx;
            for (int c = 0; c < cols; ++c) {
                dr[c] = (T) ((double) dr[c] * bp4j_select_factor((double) ar[c] > 0, 1.0, 0.01));
            }
        }
        break;
    case 3:
        for (int r = 0; r < rows; ++r) {
            const T* ar = a + r * lda;
            T* dr = dx + r * lddx;
            for (int c = 0; c < cols; ++c) {
                double av = ar[c];
                dr[c] = (T) ((double) dr[c] * (av * (1.0 - av)));
            }
        }
        break;
    case 4:
        for (int r = 0; r < rows; ++r) {
            const T* ar = a + r * lda;
            T* dr = dx + r * lddx;
            for (int c = 0; c < cols; ++c) {
                double av = ar[c];
                dr[c] = (T) ((double) dr[c] * (1.0 - av * av));
            }
        }
        break;
    default:
        break;  // identity: dX * 1 == dX
    }
}

BP4J_HOT void bp4j_sactivation_backward_k(int act, int rows, int cols, const float* a, bp4j_index lda,
                                          float* dx, bp4j_index lddx) {
    bp4j_activation_backward_rows<float>(act, rows, cols, a, lda, dx, lddx);
}

BP4J_HOT void bp4j_dactivation_backward_k(int act, int rows, int cols, const double* a, bp4j_index lda,
                                          double* dx, bp4j_index lddx) {
    bp4j_activation_backward_rows<double>(act, rows, cols, a, lda, dx, lddx);
}

// dX[r][c] *= g'(z), taken from the output A[r][c] = g(z)
// A and dX are (rows, cols)
static inline void bp4j_sactivation_backward(int act, int rows, int cols, const float* a, int offA, int lda,
                                             float* dx, int offDx, int lddx) {
    bp4j_sactivation_backward_k(act, rows, cols, a + offA, lda, dx + offDx, lddx);
}

// dX[r][c] *= g'(z), taken from the output A[r][c] = g(z)
// A and dX are (rows, cols)
static inline void bp4j_dactivation_backward(int act, int rows, int cols, const double* a, int offA, int lda,
                                             double* dx, int offDx, int lddx) {
    bp4j_dactivation_backward_k(act, rows, cols, a + offA, lda, dx + offDx, lddx);
}

// e / sum; the float twin multiplies by the double reciprocal, which rounds once, to float.
BP4J_INLINE float bp4j_normalize(float e, double sum, double inv) {
    (void) sum;
    return (float) ((double) e * inv);
}

BP4J_INLINE double bp4j_normalize(double e, double sum, double inv) {
    (void) inv;
    return e / sum;
}

// X[r][c] = exp(X[r][c] - max_r) / sum_j exp(X[r][j] - max_r)
// X is (rows, cols)
template <typename T>
BP4J_INLINE void bp4j_softmax_rows(int rows, int cols, T* x, bp4j_index ldx) {
    for (int r = 0; r < rows; ++r) {
        T* row = x + r * ldx;
        T m = bp4j_row_max(row, cols);
        for (int c = 0; c < cols; ++c) {
            row[c] = bp4j_exp_of_difference(row[c], m);
        }
        double sum = bp4j_row_sum(row, cols);
        double inv = 1.0 / sum;
        for (int c = 0; c < cols; ++c) {
            row[c] = bp4j_normalize(row[c], sum, inv);
        }
    }
}

BP4J_FMA_BEGIN
BP4J_HOT void bp4j_ssoftmax_k(int rows, int cols, float* x, bp4j_index ldx) {
    bp4j_softmax_rows<float>(rows, cols, x, ldx);
}

BP4J_HOT void bp4j_dsoftmax_k(int rows, int cols, double* x, bp4j_index ldx) {
    bp4j_softmax_rows<double>(rows, cols, x, ldx);
}
BP4J_FMA_END

// X[r][c] = exp(X[r][c] - max_r) / sum_j exp(X[r][j] - max_r)
// X is (rows, cols)
static inline void bp4j_ssoftmax(int rows, int cols, float* x, int offX, int ldx) {
    bp4j_ssoftmax_k(rows, cols, x + offX, ldx);
}

// X[r][c] = exp(X[r][c] - max_r) / sum_j exp(X[r][j] - max_r)
// X is (rows, cols)
static inline void bp4j_dsoftmax(int rows, int cols, double* x, int offX, int ldx) {
    bp4j_dsoftmax_k(rows, cols, x + offX, ldx);
}

// y[c] += sum_r X[r][c], each column summed in double in row order like the reference
// X is (rows, cols), y is (cols)
template <typename T>
BP4J_INLINE void bp4j_column_sums_rows(int rows, int cols, const T* x, bp4j_index ldx, T* y) {
    // A block of double accumulators on the stack turns the column sums into row-wise vector adds.
    const int block = 512;
    double acc[block];
    for (int c0 = 0; c0 < cols; c0 += block) {
        int w = cols - c0 < block ? cols - c0 : block;
        for (int j = 0; j < w; ++j) {
            acc[j] = y[c0 + j];
        }
        for (int r = 0; r < rows; ++r) {
            const T* row = x + r * ldx + c0;
            for (int j = 0; j < w; ++j) {
                acc[j] += row[j];
            }
        }
        for (int j = 0; j < w; ++j) {
            y[c0 + j] = (T) acc[j];
        }
    }
}

BP4J_HOT void bp4j_scolumn_sums_k(int rows, int cols, const float* x, bp4j_index ldx, float* y) {
    bp4j_column_sums_rows<float>(rows, cols, x, ldx, y);
}

BP4J_HOT void bp4j_dcolumn_sums_k(int rows, int cols, const double* x, bp4j_index ldx, double* y) {
    bp4j_column_sums_rows<double>(rows, cols, x, ldx, y);
}

// y[c] += sum_r X[r][c]
// X is (rows, cols), y is (cols)
static inline void bp4j_scolumn_sums(int rows, int cols, const float* x, int offX, int ldx, float* y, int offY) {
    bp4j_scolumn_sums_k(rows, cols, x + offX, ldx, y + offY);
}

// y[c] += sum_r X[r][c]
// X is (rows, cols), y is (cols)
static inline void bp4j_dcolumn_sums(int rows, int cols, const double* x, int offX, int ldx, double* y, int offY) {
    bp4j_dcolumn_sums_k(rows, cols, x + offX, ldx, y + offY);
}

// ---- Fused losses -----------------------------------------------------------------------------
// The losses are computed in double for both twins, like the reference: they are small (the
// output layer) and dZ = P - Y cancels when P is near Y, which a float P could not resolve.
// Loss sums run in the reference's element order.

// Z = P = e / sum, and with a gradient dZ = (P - Y) / n; dZ may be Z itself (then only dZ is stored)
// e, Z, Y, dZ are (w)
template <typename T>
BP4J_INLINE void bp4j_softmax_ce_outputs(int w, const double* e, double sum, double n, T* zr, const T* yr,
                                         int withGradient, T* dzr) {
    if (!withGradient) {
        for (int c = 0; c < w; ++c) {
            zr[c] = (T) (e[c] / sum);
        }
    } else if (dzr == zr) {
        for (int c = 0; c < w; ++c) {
            double p = e[c] / sum;
            zr[c] = (T) ((p - yr[c]) / n);
        }
    } else {
        for (int c = 0; c < w; ++c) {
            double p = e[c] / sum;
            double target = yr[c];
            zr[c] = (T) p;
            dzr[c] = (T) ((p - target) / n);
        }
    }
}

// bp4j_softmax_cross_entropy_rows for rows of at most 64 classes (W1's 10), with the same values
// in the same order: exp is taken over a block of rows at once, so that it runs in full vectors
// rather than one short vector and a scalar tail per row (128 x 10: 16 -> 7 us).
template <typename T>
BP4J_INLINE double bp4j_softmax_cross_entropy_narrow(int rows, int cols, T* z, bp4j_index ldz,
                                                     const T* y, bp4j_index ldy,
                                                     int withGradient, T* dz, bp4j_index lddz) {
    const int block = 1024;
    double e[block];
    double rowMax[block];
    double total = 0;
    double n = rows;
    int blockRows = block / cols;
    for (int r0 = 0; r0 < rows; r0 += blockRows) {
        int nr = rows - r0 < blockRows ? rows - r0 : blockRows;
        for (int i = 0; i < nr; ++i) {
            const T* zr = z + (r0 + i) * ldz;
            double m = bp4j_row_max(zr, cols);
            rowMax[i] = m;
            for (int c = 0; c < cols; ++c) {
                e[i * cols + c] = (double) zr[c] - m;
            }
        }
        for (int j = 0; j < nr * cols; ++j) {
            e[j] = bp4j_exp(e[j]);
        }
        for (int i = 0; i < nr; ++i) {
            int r = r0 + i;
            T* zr = z + r * ldz;
            const T* yr = y + r * ldy;
            double m = rowMax[i];
            double sum = bp4j_row_sum(e + i * cols, cols);
            double logSum = std::log(sum);
            for (int c = 0; c < cols; ++c) {
                double target = yr[c];
                total += target == 0 ? 0.0 : -target * (((double) zr[c] - m) - logSum);
            }
            bp4j_softmax_ce_outputs(cols, e + i * cols, sum, n, zr, yr, withGradient,
                                    withGradient ? dz + r * lddz : zr);
        }
    }
    return total / n;
}

// Z = P = softmax(Z); loss = -(1/rows) sum Y (Z - max - log sum exp(Z - max)), 0 log 0 = 0; dZ = (P - Y) / rows
// Z, Y, dZ are (rows, cols)
template <typename T>
BP4J_INLINE double bp4j_softmax_cross_entropy_rows(int rows, int cols, T* z, bp4j_index ldz,
                                                   const T* y, bp4j_index ldy,
                                                   int withGradient, T* dz, bp4j_index lddz) {
    const int chunk = 256;
    double e[chunk];
    double total = 0;
    double n = rows;
    if (cols <= 64) {
        return bp4j_softmax_cross_entropy_narrow(rows, cols, z, ldz, y, ldy, withGradient, dz, lddz);
    }
    for (int r = 0; r < rows; ++r) {
        T* zr = z + r * ldz;
        const T* yr = y + r * ldy;
        double m = bp4j_row_max(zr, cols);
        double sum = 0;
        for (int c0 = 0; c0 < cols; c0 += chunk) {
            int w = cols - c0 < chunk ? cols - c0 : chunk;
            for (int j = 0; j < w; ++j) {
                e[j] = bp4j_exp((double) zr[c0 + j] - m);
            }
            sum += bp4j_row_sum(e, w);
        }
        double logSum = std::log(sum);
        for (int c = 0; c < cols; ++c) {
            double target = yr[c];
            total += target == 0 ? 0.0 : -target * (((double) zr[c] - m) - logSum);
        }
        T* dzr = withGradient ? dz + r * lddz : zr;
        if (cols <= chunk) {
            // The row's exponentials are all still in e: the same values exp would give again.
            bp4j_softmax_ce_outputs(cols, e, sum, n, zr, yr, withGradient, dzr);
            continue;
        }
        // A row wider than e: exp is evaluated again, as in the reference.
        for (int c0 = 0; c0 < cols; c0 += chunk) {
            int w = cols - c0 < chunk ? cols - c0 : chunk;
            for (int j = 0; j < w; ++j) {
                e[j] = bp4j_exp((double) zr[c0 + j] - m);
            }
            bp4j_softmax_ce_outputs(w, e, sum, n, zr + c0, yr + c0, withGradient, dzr + c0);
        }
    }
    return total / n;
}

BP4J_HOT double bp4j_ssoftmax_cross_entropy_k(int rows, int cols, float* z, bp4j_index ldz, const float* y,
                                              bp4j_index ldy, int withGradient, float* dz, bp4j_index lddz) {
    return bp4j_softmax_cross_entropy_rows<float>(rows, cols, z, ldz, y, ldy, withGradient, dz, lddz);
}

BP4J_HOT double bp4j_dsoftmax_cross_entropy_k(int rows, int cols, double* z, bp4j_index ldz, const double* y,
                                              bp4j_index ldy, int withGradient, double* dz, bp4j_index lddz) {
    return bp4j_softmax_cross_entropy_rows<double>(rows, cols, z, ldz, y, ldy, withGradient, dz, lddz);
}

// Z = P = softmax(Z); loss = -(1/rows) sum Y log P; dZ = (P - Y) / rows; dZ untouched when withGradient == 0
// Z, Y, dZ are (rows, cols)
static inline double bp4j_ssoftmax_cross_entropy(int rows, int cols, float* z, int offZ, int ldz,
                                                 const float* y, int offY, int ldy,
                                                 int withGradient, float* dz, int offDz, int lddz) {
    if (rows <= 0 || cols <= 0) {
        return 0;
    }
    return bp4j_ssoftmax_cross_entropy_k(rows, cols, z + offZ, ldz, y + offY, ldy,
                                         withGradient, withGradient ? dz + offDz : z + offZ, lddz);
}

// Z = P = softmax(Z); loss = -(1/rows) sum Y log P; dZ = (P - Y) / rows; dZ untouched when withGradient == 0
// Z, Y, dZ are (rows, cols)
static inline double bp4j_dsoftmax_cross_entropy(int rows, int cols, double* z, int offZ, int ldz,
                                                 const double* y, int offY, int ldy,
                                                 int withGradient, double* dz, int offDz, int lddz) {
    if (rows <= 0 || cols <= 0) {
        return 0;
    }
    return bp4j_dsoftmax_cross_entropy_k(rows, cols, z + offZ, ldz, y + offY, ldy,
                                         withGradient, withGradient ? dz + offDz : z + offZ, lddz);
}

// Z = P = sigmoid(Z); loss = mean(max(z, 0) - z y + log1p(e^-|z|)); dZ = (P - Y) / (rows cols)
// Z, Y, dZ are (rows, cols)
template <typename T>
BP4J_INLINE double bp4j_sigmoid_binary_cross_entropy_rows(int rows, int cols, T* z, bp4j_index ldz,
                                                          const T* y, bp4j_index ldy,
                                                          int withGradient, T* dz, bp4j_index lddz) {
    double count = (double) rows * cols;
    if (ldz == cols && ldy == cols && (!withGradient || lddz == cols)) {
        cols = rows * cols;
        rows = 1;
    }
    double total = 0;
    for (int r = 0; r < rows; ++r) {
        T* zr = z + r * ldz;
        const T* yr = y + r * ldy;
        // The loss first, with libm (not the bottleneck); then the vectorized P and dZ pass.
        for (int c = 0; c < cols; ++c) {
            double logit = zr[c];
            double target = yr[c];
            total += (logit > 0 ? logit : 0.0) - logit * target + std::log1p(std::exp(-std::fabs(logit)));
        }
        T* dzr = withGradient ? dz + r * lddz : zr;
        if (!withGradient) {
            for (int c = 0; c < cols; ++c) {
                zr[c] = (T) bp4j_sigmoid((double) zr[c]);
            }
        } else if (dzr == zr) {
            for (int c = 0; c < cols; ++c) {
                double p = bp4j_sigmoid((double) zr[c]);
                zr[c] = (T) ((p - yr[c]) / count);
            }
        } else {
            for (int c = 0; c < cols; ++c) {
                double p = bp4j_sigmoid((double) zr[c]);
                double target = yr[c];
                zr[c] = (T) p;
                dzr[c] = (T) ((p - target) / count);
            }
        }
    }
    return total / count;
}

BP4J_HOT double bp4j_ssigmoid_binary_cross_entropy_k(int rows, int cols, float* z, bp4j_index ldz,
                                                     const float* y, bp4j_index ldy,
                                                     int withGradient, float* dz, bp4j_index lddz) {
    return bp4j_sigmoid_binary_cross_entropy_rows<float>(rows, cols, z, ldz, y, ldy, withGradient, dz, lddz);
}

BP4J_HOT double bp4j_dsigmoid_binary_cross_entropy_k(int rows, int cols, double* z, bp4j_index ldz,
                                                     const double* y, bp4j_index ldy,
                                                     int withGradient, double* dz, bp4j_index lddz) {
    return bp4j_sigmoid_binary_cross_entropy_rows<double>(rows, cols, z, ldz, y, ldy, withGradient, dz, lddz);
}

// Z = P = sigmoid(Z); loss = mean(max(z, 0) - z y + log1p(e^-|z|)); dZ = (P - Y) / (rows cols)
// Z, Y, dZ are (rows, cols)
static inline double bp4j_ssigmoid_binary_cross_entropy(int rows, int cols, float* z, int offZ, int ldz,
                                                        const float* y, int offY, int ldy,
                                                        int withGradient, float* dz, int offDz, int lddz) {
    if (rows <= 0 || cols <= 0) {
        return 0;
    }
    return bp4j_ssigmoid_binary_cross_entropy_k(rows, cols, z + offZ, ldz, y + offY, ldy,
                                                withGradient, withGradient ? dz + offDz : z + offZ, lddz);
}

// Z = P = sigmoid(Z); loss = mean(max(z, 0) - z y + log1p(e^-|z|)); dZ = (P - Y) / (rows cols)
// Z, Y, dZ are (rows, cols)
static inline double bp4j_dsigmoid_binary_cross_entropy(int rows, int cols, double* z, int offZ, int ldz,
                                                        const double* y, int offY, int ldy,
                                                        int withGradient, double* dz, int offDz, int lddz) {
    if (rows <= 0 || cols <= 0) {
        return 0;
    }
    return bp4j_dsigmoid_binary_cross_entropy_k(rows, cols, z + offZ, ldz, y + offY, ldy,
                                                withGradient, withGradient ? dz + offDz : z + offZ, lddz);
}

// loss = mean((A - Y)^2); dA = 2 (A - Y) / (rows cols)
// A, Y, dA are (rows, cols)
template <typename T>
BP4J_INLINE double bp4j_mean_squared_error_rows(int rows, int cols, const T* a, bp4j_index lda,
                                                const T* y, bp4j_index ldy,
                                                int withGradient, T* da, bp4j_index ldda) {
    double count = (double) rows * cols;
    if (lda == cols && ldy == cols && (!withGradient || ldda == cols)) {
        cols = rows * cols;
        rows = 1;
    }
    double total = 0;
    for (int r = 0; r < rows; ++r) {
        const T* ar = a + r * lda;
        const T* yr = y + r * ldy;
        for (int c = 0; c < cols; ++c) {
            double diff = (double) ar[c] - (double) yr[c];
            total += diff * diff;
        }
        if (withGradient) {
            T* dr = da + r * ldda;
            for (int c = 0; c < cols; ++c) {
                double diff = (double) ar[c] - (double) yr[c];
                dr[c] = (T) (2 * diff / count);
            }
        }
    }
    return total / count;
}

BP4J_HOT double bp4j_smean_squared_error_k(int rows, int cols, const float* a, bp4j_index lda,
                                           const float* y, bp4j_index ldy,
                                           int withGradient, float* da, bp4j_index ldda) {
    return bp4j_mean_squared_error_rows<float>(rows, cols, a, lda, y, ldy, withGradient, da, ldda);
}

BP4J_HOT double bp4j_dmean_squared_error_k(int rows, int cols, const double* a, bp4j_index lda,
                                           const double* y, bp4j_index ldy,
                                           int withGradient, double* da, bp4j_index ldda) {
    return bp4j_mean_squared_error_rows<double>(rows, cols, a, lda, y, ldy, withGradient, da, ldda);
}

// loss = mean((A - Y)^2); dA = 2 (A - Y) / (rows cols); dA untouched when withGradient == 0
// A, Y, dA are (rows, cols)
static inline double bp4j_smean_squared_error(int rows, int cols, const float* a, int offA, int lda,
                                              const float* y, int offY, int ldy,
                                              int withGradient, float* da, int offDa, int ldda) {
    if (rows <= 0 || cols <= 0) {
        return 0;
    }
    return bp4j_smean_squared_error_k(rows, cols, a + offA, lda, y + offY, ldy,
                                      withGradient, withGradient ? da + offDa : 0, ldda);
}

// loss = mean((A - Y)^2); dA = 2 (A - Y) / (rows cols); dA untouched when withGradient == 0
// A, Y, dA are (rows, cols)
static inline double bp4j_dmean_squared_error(int rows, int cols, const double* a, int offA, int lda,
                                              const double* y, int offY, int ldy,
                                              int withGradient, double* da, int offDa, int ldda) {
    if (rows <= 0 || cols <= 0) {
        return 0;
    }
    return bp4j_dmean_squared_error_k(rows, cols, a + offA, lda, y + offY, ldy,
                                      withGradient, withGradient ? da + offDa : 0, ldda);
}

// ---- Vector operations ------------------------------------------------------------------------
// The float twins evaluate the reference's double expressions and round once at the store.

// y += alpha x
// x and y are (n)
template <typename T>
BP4J_INLINE void bp4j_axpy_n(int n, T alpha, const T* x, T* y) {
    double a = alpha;
    for (int i = 0; i < n; ++i) {
        y[i] = (T) ((double) y[i] + a * (double) x[i]);
    }
}

BP4J_HOT void bp4j_saxpy_k(int n, float alpha, const float* x, float* y) {
    bp4j_axpy_n<float>(n, alpha, x, y);
}

BP4J_HOT void bp4j_daxpy_k(int n, double alpha, const double* x, double* y) {
    bp4j_axpy_n<double>(n, alpha, x, y);
}

// y += alpha x
// x and y are (n)
static inline void bp4j_saxpy(int n, float alpha, const float* x, int offX, float* y, int offY) {
    bp4j_saxpy_k(n, alpha, x + offX, y + offY);
}

// y += alpha x
// x and y are (n)
static inline void bp4j_daxpy(int n, double alpha, const double* x, int offX, double* y, int offY) {
    bp4j_daxpy_k(n, alpha, x + offX, y + offY);
}

// x *= alpha; alpha == 0 writes zeros, even over NaN and infinities
// x is (n)
template <typename T>
BP4J_INLINE void bp4j_scal_n(int n, T alpha, T* x) {
    if (alpha == 0) {
        for (int i = 0; i < n; ++i) {
            x[i] = 0;
        }
    } else {
        // float: the exact product of two floats fits in a double, so fl(alpha x) is the reference's value.
        for (int i = 0; i < n; ++i) {
            x[i] = alpha * x[i];
        }
    }
}

BP4J_HOT void bp4j_sscal_k(int n, float alpha, float* x) {
    bp4j_scal_n<float>(n, alpha, x);
}

BP4J_HOT void bp4j_dscal_k(int n, double alpha, double* x) {
    bp4j_scal_n<double>(n, alpha, x);
}

// x *= alpha, exact zeros when alpha == 0
// x is (n)
static inline void bp4j_sscal(int n, float alpha, float* x, int offX) {
    bp4j_sscal_k(n, alpha, x + offX);
}

// x *= alpha, exact zeros when alpha == 0
// x is (n)
static inline void bp4j_dscal(int n, double alpha, double* x, int offX) {
    bp4j_dscal_k(n, alpha, x + offX);
}

// C *= beta over a block; beta == 0 writes zeros, even over NaN and infinities (GEMM's contract)
// C is (m, n)
template <typename T>
BP4J_INLINE void bp4j_scale_matrix_rows(int m, int n, T beta, T* c, bp4j_index ldc) {
    if (beta == 1) {
        return;
    }
    for (int r = 0; r < m; ++r) {
        bp4j_scal_n<T>(n, beta, c + r * ldc);
    }
}

// C *= beta, exact zeros when beta == 0
// C is (m, n)
static inline void bp4j_sscale_matrix(int m, int n, float beta, float* c, int ldc) {
    bp4j_scale_matrix_rows<float>(m, n, beta, c, ldc);
}

// C *= beta, exact zeros when beta == 0
// C is (m, n)
static inline void bp4j_dscale_matrix(int m, int n, double beta, double* c, int ldc) {
    bp4j_scale_matrix_rows<double>(m, n, beta, c, ldc);
}

// ---- Optimizer steps --------------------------------------------------------------------------

// w -= lr g
// w and g are (n)
template <typename T>
BP4J_INLINE void bp4j_sgd_step_n(int n, T lr, T* w, const T* g) {
    double rate = lr;
    for (int i = 0; i < n; ++i) {
        w[i] = (T) ((double) w[i] - rate * (double) g[i]);
    }
}

BP4J_HOT void bp4j_ssgd_step_k(int n, float lr, float* w, const float* g) {
    bp4j_sgd_step_n<float>(n, lr, w, g);
}

BP4J_HOT void bp4j_dsgd_step_k(int n, double lr, double* w, const double* g) {
    bp4j_sgd_step_n<double>(n, lr, w, g);
}

// w -= lr g
// w and g are (n)
static inline void bp4j_ssgd_step(int n, float lr, float* w, int offW, const float* g, int offG) {
    bp4j_ssgd_step_k(n, lr, w + offW, g + offG);
}

// w -= lr g
// w and g are (n)
static inline void bp4j_dsgd_step(int n, double lr, double* w, int offW, const double* g, int offG) {
    bp4j_dsgd_step_k(n, lr, w + offW, g + offG);
}

// v = mu v + g; w -= lr (nesterov ? g + mu v : v)
// w, g, v are (n)
template <typename T>
BP4J_INLINE void bp4j_momentum_step_n(int n, T lr, T mu, int nesterov, T* w, const T* g, T* v) {
    double rate = lr;
    double m = mu;
    if (nesterov) {
        for (int i = 0; i < n; ++i) {
            double grad = g[i];
            double vel = m * (double) v[i] + grad;
            v[i] = (T) vel;
            w[i] = (T) ((double) w[i] - rate * (grad + m * vel));
        }
    } else {
        for (int i = 0; i < n; ++i) {
            double grad = g[i];
            double vel = m * (double) v[i] + grad;
            v[i] = (T) vel;
            w[i] = (T) ((double) w[i] - rate * vel);
        }
    }
}

BP4J_HOT void bp4j_smomentum_step_k(int n, float lr, float mu, int nesterov, float* w, const float* g, float* v) {
    bp4j_momentum_step_n<float>(n, lr, mu, nesterov, w, g, v);
}

BP4J_HOT void bp4j_dmomentum_step_k(int n, double lr, double mu, int nesterov, double* w, const double* g,
                                    double* v) {
    bp4j_momentum_step_n<double>(n, lr, mu, nesterov, w, g, v);
}

// v = mu v + g; w -= lr (nesterov ? g + mu v : v)
// w, g, v are (n)
static inline void bp4j_smomentum_step(int n, float lr, float mu, int nesterov, float* w, int offW,
                                       const float* g, int offG, float* v, int offV) {
    bp4j_smomentum_step_k(n, lr, mu, nesterov, w + offW, g + offG, v + offV);
}

// v = mu v + g; w -= lr (nesterov ? g + mu v : v)
// w, g, v are (n)
static inline void bp4j_dmomentum_step(int n, double lr, double mu, int nesterov, double* w, int offW,
                                       const double* g, int offG, double* v, int offV) {
    bp4j_dmomentum_step_k(n, lr, mu, nesterov, w + offW, g + offG, v + offV);
}

// m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2; w -= lr (m / c1) / (sqrt(v / c2) + eps)
// w, g, m, v are (n); c1 = 1 - b1^t, c2 = 1 - b2^t
template <typename T>
BP4J_INLINE void bp4j_adam_step_n(int n, T lr, T beta1, T beta2, T eps, double c1, double c2,
                                  T* w, const T* g, T* m, T* v) {
    double rate = lr, b1 = beta1, b2 = beta2, e = eps;
    double a1 = 1 - b1, a2 = 1 - b2;
    for (int i = 0; i < n; ++i) {
        double grad = g[i];
        double mom = b1 * (double) m[i] + a1 * grad;
        double var = b2 * (double) v[i] + a2 * grad * grad;
        m[i] = (T) mom;
        v[i] = (T) var;
        w[i] = (T) ((double) w[i] - rate * (mom / c1) / (std::sqrt(var / c2) + e));
    }
}

BP4J_HOT void bp4j_sadam_step_k(int n, float lr, float beta1, float beta2, float eps, double c1, double c2,
                                float* w, const float* g, float* m, float* v) {
    bp4j_adam_step_n<float>(n, lr, beta1, beta2, eps, c1, c2, w, g, m, v);
}

BP4J_HOT void bp4j_dadam_step_k(int n, double lr, double beta1, double beta2, double eps, double c1, double c2,
                                double* w, const double* g, double* m, double* v) {
    bp4j_adam_step_n<double>(n, lr, beta1, beta2, eps, c1, c2, w, g, m, v);
}

// m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2; w -= lr (m / c1) / (sqrt(v / c2) + eps)
// w, g, m, v are (n); c1 = 1 - beta1^t, c2 = 1 - beta2^t
static inline void bp4j_sadam_step(int n, float lr, float beta1, float beta2, float eps, double c1, double c2,
                                   float* w, int offW, const float* g, int offG, float* m, int offM,
                                   float* v, int offV) {
    bp4j_sadam_step_k(n, lr, beta1, beta2, eps, c1, c2, w + offW, g + offG, m + offM, v + offV);
}

// m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2; w -= lr (m / c1) / (sqrt(v / c2) + eps)
// w, g, m, v are (n); c1 = 1 - beta1^t, c2 = 1 - beta2^t
static inline void bp4j_dadam_step(int n, double lr, double beta1, double beta2, double eps, double c1, double c2,
                                   double* w, int offW, const double* g, int offG, double* m, int offM,
                                   double* v, int offV) {
    bp4j_dadam_step_k(n, lr, beta1, beta2, eps, c1, c2, w + offW, g + offG, m + offM, v + offV);
}

// s = rho s + (1 - rho) g^2; w -= lr g / (sqrt(s) + eps)
// w, g, s are (n)
template <typename T>
BP4J_INLINE void bp4j_rmsprop_step_n(int n, T lr, T rho, T eps, T* w, const T* g, T* s) {
    double rate = lr, p = rho, e = eps;
    double a = 1 - p;
    for (int i = 0; i < n; ++i) {
        double grad = g[i];
        double sq = p * (double) s[i] + a * grad * grad;
        s[i] = (T) sq;
        w[i] = (T) ((double) w[i] - rate * grad / (std::sqrt(sq) + e));
    }
}

BP4J_HOT void bp4j_srmsprop_step_k(int n, float lr, float rho, float eps, float* w, const float* g, float* s) {
    bp4j_rmsprop_step_n<float>(n, lr, rho, eps, w, g, s);
}

BP4J_HOT void bp4j_drmsprop_step_k(int n, double lr, double rho, double eps, double* w, const double* g, double* s) {
    bp4j_rmsprop_step_n<double>(n, lr, rho, eps, w, g, s);
}

// s = rho s + (1 - rho) g^2; w -= lr g / (sqrt(s) + eps)
// w, g, s are (n)
static inline void bp4j_srmsprop_step(int n, float lr, float rho, float eps, float* w, int offW,
                                      const float* g, int offG, float* s, int offS) {
    bp4j_srmsprop_step_k(n, lr, rho, eps, w + offW, g + offG, s + offS);
}

// s = rho s + (1 - rho) g^2; w -= lr g / (sqrt(s) + eps)
// w, g, s are (n)
static inline void bp4j_drmsprop_step(int n, double lr, double rho, double eps, double* w, int offW,
                                      const double* g, int offG, double* s, int offS) {
    bp4j_drmsprop_step_k(n, lr, rho, eps, w + offW, g + offG, s + offS);
}

// ---- Library information ----------------------------------------------------------------------

// The instruction set the workers dispatch to: the ifunc resolvers test the same features in the
// same order. "avx2" is the x86-64-v3 clone.
static inline const char* bp4j_kernel_isa() {
#ifdef BP4J_RUNTIME_DISPATCH
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f")) {
        return "avx512f";
    }
    if (__builtin_cpu_supports("x86-64-v3")) {
        return "avx2";
    }
    return "x86-64 baseline";
#elif defined(__AVX512F__)
    return "avx512f";
#elif defined(__AVX2__)
    return "avx2";
#elif defined(__x86_64__)
    return "x86-64 baseline";
#else
    return "generic";
#endif
}

#ifdef BP4J_POP_OPTIONS
#pragma GCC pop_options
#undef BP4J_POP_OPTIONS
#endif

#endif
