/* The pairs of one task: an open-addressing hash table over the keys' bytes, with totals. */
package vpcpath.flows;

import java.util.Arrays;

final class PairTable {
    private static final long BYTES_SPLIT = 1_000_000_000L; // spark_readers.BYTES_SPLIT
    private static final long DASH = Long.MIN_VALUE;

    private int[] slots = new int[1024]; // pair + 1, 0 when free
    private int size;
    private byte[] arena = new byte[1 << 16];
    private int used;
    private int[] keyStart = new int[256];
    private int[] keyLength = new int[256];
    private int[] hashes = new int[256];
    // records, accepted, nodata, skipdata, bytes_high, bytes_low, first_start, last_end
    private long[] totals = new long[256 * 8];

    int size() {
        return size;
    }

    /** Forgets every pair (their rows were emitted). */
    void clear() {
        Arrays.fill(slots, 0);
        size = 0;
        used = 0;
    }

    byte[] arena() {
        return arena;
    }

    int keyStart(int pair) {
        return keyStart[pair];
    }

    /** The pair of {@code key[0:length]}, added when new. */
    int find(byte[] key, int length) {
        int hash = 1;
        for (int i = 0; i < length; i++) {
            hash = 31 * hash + key[i];
        }
        hash ^= hash >>> 16;
        int mask = slots.length - 1;
        int slot = (hash * 0x9E3779B9) & mask;
        while (true) {
            int entry = slots[slot];
            if (entry == 0) {
                return insert(slot, key, length, hash);
            }
            int pair = entry - 1;
            if (hashes[pair] == hash && keyLength[pair] == length
                && Arrays.equals(arena, keyStart[pair], keyStart[pair] + length, key, 0, length)) {
                return pair;
            }
            slot = (slot + 1) & mask;
        }
    }

    private int insert(int slot, byte[] key, int length, int hash) {
        int pair = size++;
        if (pair == hashes.length) {
            int grown = 2 * pair;
            keyStart = Arrays.copyOf(keyStart, grown);
            keyLength = Arrays.copyOf(keyLength, grown);
            hashes = Arrays.copyOf(hashes, grown);
            totals = Arrays.copyOf(totals, grown * 8);
        }
        if (used + length > arena.length) {
            arena = Arrays.copyOf(arena, Math.max(2 * arena.length, used + length));
        }
        System.arraycopy(key, 0, arena, used, length);
        keyStart[pair] = used;
        keyLength[pair] = length;
        hashes[pair] = hash;
        used += length;
        int t = pair * 8;
        Arrays.fill(totals, t, t + 6, 0L); // (a table cleared before holds old totals here)
        totals[t + 6] = DASH; // no start yet
        totals[t + 7] = DASH; // no end yet
        slots[slot] = pair + 1;
        if (2 * size > slots.length) {
            rehash();
        }
        return pair;
    }

    private void rehash() {
        slots = new int[2 * slots.length];
        int mask = slots.length - 1;
        for (int pair = 0; pair < size; pair++) {
            int slot = (hashes[pair] * 0x9E3779B9) & mask;
            while (slots[slot] != 0) {
                slot = (slot + 1) & mask;
            }
            slots[slot] = pair + 1;
        }
    }

    void add(int pair, boolean accepted, boolean nodata, boolean skipdata,
             long bytes, long start, long end) {
        int t = pair * 8;
        totals[t]++;
        if (accepted) {
            totals[t + 1]++;
            if (bytes != DASH) {
                totals[t + 4] += bytes / BYTES_SPLIT;
                totals[t + 5] += bytes % BYTES_SPLIT;
            }
        }
        if (nodata) {
            totals[t + 2]++;
        }
        if (skipdata) {
            totals[t + 3]++;
        }
        if (start != DASH && (totals[t + 6] == DASH || start < totals[t + 6])) {
            totals[t + 6] = start;
        }
        if (end != DASH && end > totals[t + 7]) { // DASH is below every number
            totals[t + 7] = end;
        }
    }

    /** The pair's totals as Longs into {@code values} from {@code at} (no start, end: null). */
    void totals(int pair, Object[] values, int at) {
        int t = pair * 8;
        for (int i = 0; i < 8; i++) {
            long value = totals[t + i];
            values[at + i] = i >= 6 && value == DASH ? null : Long.valueOf(value);
        }
    }
}
