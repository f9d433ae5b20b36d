package io.drydock.dax;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The live mappings of one window, sorted by window offset and never overlapping (virtio 1.2 §5.11.6.5:
 * a mapping over an existing range replaces it; a partially covered mapping is split into the 1–2 parts
 * left uncovered). Bookkeeping only, no host calls; not thread-safe (the window locks around it).
 */
final class MappingTable {
    private final TreeMap<Long, DaxMapping> byOffset = new TreeMap<>();
    private long bytes;

    /** Removes whatever lies in [from, to), keeping the uncovered parts of mappings that stick out. */
    void cut(long from, long to) {
        Map.Entry<Long, DaxMapping> before = byOffset.lowerEntry(from);
        long start = before != null && before.getValue().end() > from ? before.getKey() : from;
        for (DaxMapping m : new ArrayList<>(byOffset.subMap(start, true, to, false).values())) {
            byOffset.remove(m.moffset());
            bytes -= m.length();
            if (m.moffset() < from) put(m.slice(m.moffset(), from));
            if (m.end() > to) put(m.slice(to, m.end()));
        }
    }

    /** Adds {@code m} in place of whatever it covers. */
    void replace(DaxMapping m) {
        cut(m.moffset(), m.end());
        put(m);
    }

    private void put(DaxMapping m) {
        byOffset.put(m.moffset(), m);
        bytes += m.length();
    }

    void clear() {
        byOffset.clear();
        bytes = 0;
    }

    int size() { return byOffset.size(); }

    /** The mapping that ends exactly at {@code offset}, or null. */
    DaxMapping endingAt(long offset) {
        Map.Entry<Long, DaxMapping> e = byOffset.lowerEntry(offset);
        return e != null && e.getValue().end() == offset ? e.getValue() : null;
    }

    /** The mapping that starts exactly at {@code offset}, or null. */
    DaxMapping startingAt(long offset) { return byOffset.get(offset); }

    /** Window bytes covered by live mappings. */
    long bytes() { return bytes; }

    List<DaxMapping> list() { return List.copyOf(byOffset.values()); }
}
