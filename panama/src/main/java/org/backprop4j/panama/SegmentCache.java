package org.backprop4j.panama;

import java.lang.foreign.MemorySegment;
import java.lang.ref.WeakReference;

/**
 * The heap segments GEMM passes to the library, one per (array, offset), made once and then
 * looked up, so that a call allocates nothing without relying on escape analysis.
 *
 * <p>Why not {@code MemorySegment.ofArray(a).asSlice(off)} on every call: that allocates nothing
 * only when C2 inlines the whole of {@code asSlice}, including the JDK's
 * {@code HeapMemorySegmentImpl.dup}, which it sometimes declines to do ("low call site frequency",
 * depending on the order in which the JDK's shared code was profiled). Then every GEMM allocated
 * 336 bytes and took about 0.5 µs longer (forced with {@code -XX:CompileCommand=dontinline} on
 * {@code dup}: 1×1×1 sgemm 530 ns instead of 25-35 ns; seen unforced in training runs that used
 * float32 and float64 in turn). A segment made once costs the same 25 ns per call whatever the JIT
 * decides.
 *
 * <p>The table is 4-way set-associative and shared by all threads without locks: entries are
 * immutable and checked on every hit, so a race costs a miss, never a wrong segment. (Direct-mapped,
 * 512 slots, two pairs of one training step shared a slot often enough to cost 400 bytes a step.)
 * Entries hold the array and the segment weakly (the segment refers to the array, so a strong
 * segment would keep the array alive): the cache never keeps an array from being collected, and a
 * segment collected in the meantime is simply made again.
 */
final class SegmentCache {

    /** Sets of {@link #WAYS} entries; a power of two. A network uses a few dozen (array, offset) pairs. */
    private static final int SETS = 256;
    private static final int WAYS = 4;

    private record Entry(WeakReference<Object> array, long byteOffset, WeakReference<MemorySegment> segment) {

        boolean isFor(Object a, long offset) {
            return byteOffset == offset && array.refersTo(a);
        }

        boolean isDead() {
            return array.refersTo(null) || segment.refersTo(null);
        }
    }

    private final Entry[] table = new Entry[SETS * WAYS];
    private int victim; // racy round-robin: any value is a valid way

    /** The segment of {@code x} from element {@code off} on. */
    MemorySegment of(float[] x, int off) {
        return lookup(x, off * (long) Float.BYTES);
    }

    /** The segment of {@code x} from element {@code off} on. */
    MemorySegment of(double[] x, int off) {
        return lookup(x, off * (long) Double.BYTES);
    }

    private MemorySegment lookup(Object array, long byteOffset) {
        int set = set(array, byteOffset) * WAYS;
        for (int w = 0; w < WAYS; w++) {
            Entry e = table[set + w];
            if (e != null && e.isFor(array, byteOffset)) {
                MemorySegment s = e.segment.get();
                if (s != null) {
                    return s;
                }
            }
        }
        return miss(array, byteOffset, set);
    }

    private MemorySegment miss(Object array, long byteOffset, int set) {
        MemorySegment whole = array instanceof float[] f ? MemorySegment.ofArray(f) : MemorySegment.ofArray((double[]) array);
        MemorySegment s = whole.asSlice(byteOffset);
        int way = -1;
        for (int w = 0; w < WAYS && way < 0; w++) {
            Entry e = table[set + w];
            if (e == null || e.isDead() || e.isFor(array, byteOffset)) {
                way = w;
            }
        }
        if (way < 0) {
            way = victim++ & (WAYS - 1);
        }
        table[set + way] = new Entry(new WeakReference<>(array), byteOffset, new WeakReference<>(s));
        return s;
    }

    private static int set(Object array, long byteOffset) {
        int h = System.identityHashCode(array) * 0x9E3779B1 + (int) (byteOffset >>> 2) * 0x85EBCA6B;
        return (h ^ (h >>> 16)) & (SETS - 1);
    }
}
