package io.drydock.kernel.debug;

/**
 * Why a machine's harts stopped for a debugger: a hart reached a breakpoint (pc, not yet executed), an
 * access hit a watchpoint (address = the watched address accessed; the instruction at pc was stopped before
 * it took effect, the RISC-V trigger timing gdb expects — resuming completes it), a single step finished,
 * or a debugger interrupted the run.
 */
public record DebugStop(int cpu, Reason reason, long pc, long address, DebugPoints.WatchKind watchKind) {
    public enum Reason { BREAKPOINT, WATCHPOINT, STEP, INTERRUPT }

    public static DebugStop breakpoint(int cpu, long pc) { return new DebugStop(cpu, Reason.BREAKPOINT, pc, pc, null); }

    public static DebugStop watchpoint(int cpu, long pc, long address, DebugPoints.WatchKind kind) {
        return new DebugStop(cpu, Reason.WATCHPOINT, pc, address, kind);
    }

    /** A debugger interrupted the run (gdb's Ctrl-C); {@code pc} is where hart {@code cpu} was. */
    public static DebugStop interrupt(int cpu, long pc) { return new DebugStop(cpu, Reason.INTERRUPT, pc, pc, null); }

    @Override public String toString() {
        return switch (reason) {
            case BREAKPOINT -> String.format("hart %d at breakpoint 0x%x", cpu, pc);
            case WATCHPOINT -> String.format("hart %d: %s watchpoint 0x%x hit by the instruction at 0x%x", cpu, watchKind.name().toLowerCase(), address, pc);
            case STEP -> String.format("hart %d stepped to 0x%x", cpu, pc);
            case INTERRUPT -> String.format("interrupted by gdb (Ctrl-C), hart %d at 0x%x", cpu, pc);
        };
    }
}
