package io.drydock.virtiofs.fuse.server;

import io.drydock.virtiofs.fuse.abi.FuseOpcode;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** A {@link FuseObserver} that counts requests, errors and total latency per opcode (thread-safe). */
public final class FuseStats implements FuseObserver {
    /** One opcode's totals. */
    public record Totals(long requests, long errors, long nanos, long inBytes, long outBytes) {}

    private static final class Cell {
        final LongAdder requests = new LongAdder(), errors = new LongAdder(), nanos = new LongAdder(),
                in = new LongAdder(), out = new LongAdder();
    }

    private final Map<FuseOpcode, Cell> cells = new EnumMap<>(FuseOpcode.class);
    private final Cell unknown = new Cell();

    public FuseStats() {
        for (FuseOpcode op : FuseOpcode.values()) cells.put(op, new Cell());
    }

    @Override
    public void onRequest(FuseOpcode opcode, int rawOpcode, long unique, long nodeid, long inBytes, long outBytes,
                          int error, long nanos) {
        Cell c = opcode == null ? unknown : cells.get(opcode);
        c.requests.increment();
        if (error != 0) c.errors.increment();
        c.nanos.add(nanos);
        c.in.add(inBytes);
        c.out.add(outBytes);
    }

    public Totals totals(FuseOpcode op) { return snapshot(cells.get(op)); }

    public Totals unknownOpcodes() { return snapshot(unknown); }

    private static Totals snapshot(Cell c) {
        return new Totals(c.requests.sum(), c.errors.sum(), c.nanos.sum(), c.in.sum(), c.out.sum());
    }

    /** Opcodes seen at least once, for printing. */
    public Map<FuseOpcode, Totals> nonZero() {
        Map<FuseOpcode, Totals> m = new EnumMap<>(FuseOpcode.class);
        cells.forEach((op, c) -> { if (c.requests.sum() > 0) m.put(op, snapshot(c)); });
        return m;
    }
}
