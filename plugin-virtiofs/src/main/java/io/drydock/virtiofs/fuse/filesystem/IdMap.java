package io.drydock.virtiofs.fuse.filesystem;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * A translation of user or group IDs between the guest and the host, built from rules spelled as the Rust
 * virtiofsd's {@code --translate-uid}/{@code --translate-gid} (QEMU 7.2's C virtiofsd has no mapping):
 * <ul>
 *   <li>{@code map:GUEST:HOST:COUNT} — guest [GUEST, GUEST+COUNT) and host [HOST, HOST+COUNT), both ways</li>
 *   <li>{@code guest:GUEST:HOST:COUNT} — the same, guest to host only</li>
 *   <li>{@code host:HOST:GUEST:COUNT} — host [HOST, HOST+COUNT) to guest [GUEST, …) only</li>
 *   <li>{@code squash-guest:GUEST:HOST:COUNT} — every guest ID of the range becomes the one host ID HOST</li>
 *   <li>{@code squash-host:HOST:GUEST:COUNT} — every host ID of the range is shown as the one guest ID GUEST</li>
 *   <li>{@code forbid-guest:GUEST:COUNT} — requests from, and chown to, those guest IDs fail with EPERM</li>
 * </ul>
 * IDs no rule covers pass through unchanged. The guest-to-host rules (map, guest, squash-guest, forbid-guest)
 * may not overlap each other, nor may the host-to-guest ones (map, host, squash-host): a rule that would is
 * refused when parsed. IDs are unsigned 32-bit; 4294967295 ({@code (uid_t) -1}, "no change" to chown) is in
 * no range. Immutable.
 */
public final class IdMap {
    /** The identity: every ID passes unchanged. */
    public static final IdMap IDENTITY = new IdMap(List.of(), List.of());

    private static final long NO_ID = 0xffffffffL;

    /** One range of one direction; {@code to < 0} forbids, {@code squash} sends the whole range to {@code to}. */
    private record Range(long from, long count, long to, boolean squash, String rule) {
        boolean covers(long id) { return id >= from && id < from + count; }
        boolean overlaps(Range o) { return from < o.from + o.count && o.from < from + count; }
        long apply(long id) { return squash ? to : to + (id - from); }
    }

    private final List<Range> toHost, toGuest;

    private IdMap(List<Range> toHost, List<Range> toGuest) {
        this.toHost = List.copyOf(toHost);
        this.toGuest = List.copyOf(toGuest);
    }

    /** Parses rules (one per {@code --translate-uid}); {@link IllegalArgumentException} says which is wrong and why. */
    public static IdMap parse(List<String> rules) {
        List<Range> toHost = new ArrayList<>(), toGuest = new ArrayList<>();
        for (String rule : rules) {
            String[] p = rule.split(":", -1);
            String kind = p[0];
            int want = kind.equals("forbid-guest") ? 3 : 4;
            if (p.length != want) throw bad(rule, kind.equals("forbid-guest") ? "expected forbid-guest:GUEST:COUNT" : "expected " + kind + ":FROM:TO:COUNT");
            long from = id(rule, p[1]), count = number(rule, p[p.length - 1]);
            if (count < 1 || from + count > NO_ID) throw bad(rule, "the range must hold 1 or more IDs below 4294967295");
            long to = want == 4 ? id(rule, p[2]) : -1;
            boolean squash = kind.startsWith("squash-");
            if (want == 4 && !squash && to + count > NO_ID) throw bad(rule, "the target range passes 4294967294");
            switch (kind) {
                case "map" -> {
                    add(toHost, new Range(from, count, to, false, rule));
                    add(toGuest, new Range(to, count, from, false, rule));
                }
                case "guest", "squash-guest" -> add(toHost, new Range(from, count, to, squash, rule));
                case "host", "squash-host" -> add(toGuest, new Range(from, count, to, squash, rule));
                case "forbid-guest" -> add(toHost, new Range(from, count, -1, false, rule));
                default -> throw bad(rule, "the kind must be map, guest, host, squash-guest, squash-host or forbid-guest");
            }
        }
        return toHost.isEmpty() && toGuest.isEmpty() ? IDENTITY : new IdMap(toHost, toGuest);
    }

    private static void add(List<Range> ranges, Range r) {
        for (Range o : ranges)
            if (o.overlaps(r)) throw bad(r.rule, "its range overlaps that of " + o.rule);
        ranges.add(r);
    }

    private static long id(String rule, String s) {
        long v = number(rule, s);
        if (v >= NO_ID) throw bad(rule, s + " is not an ID (0 to 4294967294)");
        return v;
    }

    private static long number(String rule, String s) {
        try {
            long v = Long.parseLong(s);
            if (v < 0 || v > NO_ID) throw bad(rule, s + " is out of range");
            return v;
        } catch (NumberFormatException e) {
            throw bad(rule, "'" + s + "' is not a number");
        }
    }

    private static IllegalArgumentException bad(String rule, String why) {
        return new IllegalArgumentException("ID mapping '" + rule + "': " + why);
    }

    public boolean isIdentity() { return this == IDENTITY; }

    /** The host ID for a guest ID, or empty when the guest ID is forbidden. */
    public OptionalLong toHost(int guestId) {
        long id = Integer.toUnsignedLong(guestId);
        for (Range r : toHost) if (r.covers(id)) return r.to < 0 ? OptionalLong.empty() : OptionalLong.of(r.apply(id));
        return OptionalLong.of(id);
    }

    /** The guest ID a host ID is shown as. */
    public int toGuest(int hostId) {
        long id = Integer.toUnsignedLong(hostId);
        for (Range r : toGuest) if (r.covers(id)) return (int) r.apply(id);
        return hostId;
    }

    @Override public String toString() {
        List<String> rules = new ArrayList<>();
        for (Range r : toHost) if (!rules.contains(r.rule)) rules.add(r.rule);
        for (Range r : toGuest) if (!rules.contains(r.rule)) rules.add(r.rule);
        return rules.isEmpty() ? "identity" : String.join(",", rules);
    }
}
