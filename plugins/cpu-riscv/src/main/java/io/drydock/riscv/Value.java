package io.drydock.riscv;

/**
 * A register or address as the shell shows it: {@code pc 0x0000000080000010 <main+0x4>}. Groovy's
 * bit and arithmetic operators work on it ({@code hart(0).csr('mstatus') & 8}); {@code .value} is the
 * plain number (compare that: {@code hart(0).pc().value == 0x80000000}).
 */
public record Value(String name, long value, String symbol) {
    @Override public String toString() {
        return (name == null ? "" : name + " ") + String.format("0x%016x", value) + (symbol == null ? "" : symbol);
    }

    public long longValue() { return value; }

    // Groovy operator methods (a & b, a | b, a + b, ...), so scripts compute on values as on numbers
    public long and(Number n) { return value & n.longValue(); }
    public long or(Number n) { return value | n.longValue(); }
    public long xor(Number n) { return value ^ n.longValue(); }
    public long plus(Number n) { return value + n.longValue(); }
    public long minus(Number n) { return value - n.longValue(); }
    public long rightShift(Number n) { return value >> n.intValue(); }
    public long rightShiftUnsigned(Number n) { return value >>> n.intValue(); }
    public long leftShift(Number n) { return value << n.intValue(); }
}
