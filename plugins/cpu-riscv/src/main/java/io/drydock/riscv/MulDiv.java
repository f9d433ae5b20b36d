package io.drydock.riscv;

import static io.drydock.riscv.Op.*;

/** The M extension (unpriv 20191213 ch. 7), including the division special cases of table 7.1. */
final class MulDiv {
    private MulDiv() {}

    static long execute(int op, long a, long b) {
        return switch (op) {
            case MUL -> a * b;
            case MULH -> Math.multiplyHigh(a, b);
            case MULHU -> Math.unsignedMultiplyHigh(a, b);
            // signed × unsigned: high(a·b) = high_signed(a, b) + (b < 0 ? a : 0)
            case MULHSU -> Math.multiplyHigh(a, b) + (b < 0 ? a : 0);
            // x/0 = -1 (all ones), x%0 = x; MIN/-1 = MIN, MIN%-1 = 0 (Java's / and % give MIN and 0 too)
            case DIV -> b == 0 ? -1 : a / b;
            case DIVU -> b == 0 ? -1 : Long.divideUnsigned(a, b);
            case REM -> b == 0 ? a : a % b;
            case REMU -> b == 0 ? a : Long.remainderUnsigned(a, b);
            case MULW -> (int) a * (int) b;
            case DIVW -> (int) b == 0 ? -1 : (int) a / (int) b;
            case DIVUW -> (int) b == 0 ? -1 : (int) Integer.divideUnsigned((int) a, (int) b);
            case REMW -> (int) b == 0 ? (int) a : (int) a % (int) b;
            default -> (int) b == 0 ? (int) a : (int) Integer.remainderUnsigned((int) a, (int) b); // REMUW
        };
    }
}
