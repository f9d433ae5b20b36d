package io.drydock.riscv;

import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.CodeBuilder;
import java.lang.classfile.Label;
import java.lang.constant.ClassDesc;
import java.lang.constant.MethodTypeDesc;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Arrays;

import static io.drydock.riscv.Op.*;
import static java.lang.constant.ConstantDescs.*;

/**
 * Translates a hot run of decoded instructions into a {@link Block}: a hidden class whose {@code run}
 * method does what the interpreter's cases would, with registers numbers, immediates and pc offsets as
 * constants and no dispatch between instructions. Registers stay in the hart's {@code x} array (so a trap
 * leaves them exactly as the interpreter would); loads and stores call the interpreter's inline-TLB
 * helpers, which HotSpot inlines.
 *
 * <p>A block ends after a jump or branch, before an instruction not handled here (system, CSR, AMO,
 * illegal, page-crossing — the interpreter runs those), at the end of the page, or at {@link #MAX}
 * instructions. Each instruction that can trap (loads, stores, F/D) has its own exception handler that
 * records its index in {@code Interpreter.trapIndex} and rethrows, which costs nothing on the normal path.
 */
final class Translator {
    private Translator() {}

    static final int MAX = 64;
    private static final MethodHandles.Lookup LOOKUP = MethodHandles.lookup();
    private static final ClassDesc CD_BLOCK = ClassDesc.of(Block.class.getName());
    private static final ClassDesc CD_INTERP = ClassDesc.of(Interpreter.class.getName());
    private static final ClassDesc CD_MULDIV = ClassDesc.of(MulDiv.class.getName());
    private static final ClassDesc CD_SELF = ClassDesc.of(Translator.class.getPackageName() + ".TranslatedBlock");
    private static final MethodTypeDesc INIT = MethodTypeDesc.of(CD_void, CD_int, CD_short.arrayType());
    private static final MethodTypeDesc RUN = MethodTypeDesc.of(CD_long, CD_INTERP, CD_long.arrayType(), CD_long);
    private static final MethodTypeDesc JJ_I = MethodTypeDesc.of(CD_int, CD_long, CD_long);
    private static final ClassFile CF = ClassFile.of(ClassFile.ClassHierarchyResolverOption.of(
            ClassHierarchyResolver.defaultResolver().orElse(ClassHierarchyResolver.ofClassLoading(Translator.class.getClassLoader()))));
    // locals of run(): 0 this, 1 Interpreter, 2 long[] x, 3-4 pc, 5-6 scratch
    private static final int IN = 1, X = 2, PC = 3, TMP = 5;

    /**
     * The block starting at {@code pc} on {@code page} (the page codePage() last returned, so undecoded slots
     * can be decoded), or null when its first instruction is not translatable.
     */
    static Block translate(Mmu mmu, CodePage page, long pc) {
        long[] ws = new long[MAX];
        short[] offs = new short[MAX];
        int n = 0, off = 0;
        int slot = (int) (pc & 0xfff) >>> 1;
        while (n < MAX && slot < 2048) {
            long w = page.ops[slot];
            if (w == 0) w = page.ops[slot] = mmu.decode(pc + off);
            if (!supported(op(w))) break;
            ws[n] = w;
            offs[n++] = (short) off;
            off += len(w);
            slot += len(w) >>> 1;
            if (endsBlock(op(w))) break;
        }
        if (n == 0) return null;
        final int count = n;
        byte[] bytes = CF.build(CD_SELF, cb -> cb
                .withSuperclass(CD_BLOCK)
                .withFlags(ClassFile.ACC_FINAL)
                .withMethodBody(INIT_NAME, INIT, 0, c -> c.aload(0).iload(1).aload(2)
                        .invokespecial(CD_BLOCK, INIT_NAME, INIT).return_())
                .withMethodBody("run", RUN, ClassFile.ACC_FINAL, c -> emitBody(c, ws, offs, count)));
        try {
            MethodHandles.Lookup hidden = LOOKUP.defineHiddenClass(bytes, true);
            return (Block) hidden.findConstructor(hidden.lookupClass(), MethodType.methodType(void.class, int.class, short[].class))
                    .invoke(count, Arrays.copyOf(offs, count));
        } catch (Throwable e) {
            throw new IllegalStateException("block translation failed at pc " + Long.toHexString(pc), e);
        }
    }

    static boolean supported(int op) {
        return op >= LUI && op <= REMUW || op == FENCE || op >= FLW && op <= MV;
    }

    private static boolean endsBlock(int op) {
        return op >= JAL && op <= BGEU;
    }

    private static boolean canTrap(int op) {
        return op >= LB && op <= SD || op >= FLW && op <= FP;
    }

    private static void emitBody(CodeBuilder c, long[] ws, short[] offs, int count) {
        for (int k = 0; k < count; k++) {
            long w = ws[k];
            Label start = c.newBoundLabel();
            boolean returned = emit(c, w, offs[k]);
            if (canTrap(op(w))) {
                Label end = c.newBoundLabel(), skip = c.newLabel(), handler = c.newLabel();
                c.goto_(skip);
                c.labelBinding(handler);
                c.aload(IN).loadConstant(k).putfield(CD_INTERP, "trapIndex", CD_int).athrow();
                c.labelBinding(skip);
                c.exceptionCatchAll(start, end, handler);
            }
            if (returned) return;
        }
        pcPlus(c, offs[count - 1] + len(ws[count - 1]));
        c.lreturn();
    }

    /** Emits one instruction at byte offset {@code off}; true when it ended the method (jump/branch). */
    private static boolean emit(CodeBuilder c, long w, int off) {
        int op = op(w), rd = rd(w), rs1 = rs1(w), rs2 = rs2(w), imm = imm(w), len = len(w);
        switch (op) {
            case LUI, LI -> { dst(c, rd); c.loadConstant((long) imm); c.lastore(); }
            case AUIPC -> { dst(c, rd); pcPlus(c, off + (long) imm); c.lastore(); }
            case MV -> { dst(c, rd); reg(c, rs2); c.lastore(); }
            case JAL -> {
                dst(c, rd); pcPlus(c, off + len); c.lastore();
                pcPlus(c, off + (long) imm); c.lreturn();
                return true;
            }
            case JALR -> { // target first: rd may be rs1
                reg(c, rs1); c.loadConstant((long) imm).ladd().loadConstant(~1L).land().lstore(TMP);
                dst(c, rd); pcPlus(c, off + len); c.lastore();
                c.lload(TMP).lreturn();
                return true;
            }
            case BEQ, BNE, BLT, BGE, BLTU, BGEU -> {
                Label taken = c.newLabel();
                reg(c, rs1); reg(c, rs2);
                if (op == BLTU || op == BGEU) c.invokestatic(CD_Long, "compareUnsigned", JJ_I);
                else c.lcmp();
                switch (op) {
                    case BEQ -> c.ifeq(taken);
                    case BNE -> c.ifne(taken);
                    case BLT, BLTU -> c.iflt(taken);
                    default -> c.ifge(taken);
                }
                pcPlus(c, off + len); c.lreturn();
                c.labelBinding(taken);
                pcPlus(c, off + (long) imm); c.lreturn();
                return true;
            }
            case LB, LH, LW, LD, LBU, LHU, LWU -> {
                dst(c, rd);
                c.aload(IN); addr(c, rs1, imm);
                switch (op) {
                    case LB -> c.invokevirtual(CD_INTERP, "ld8", MethodTypeDesc.of(CD_int, CD_long)).i2b().i2l();
                    case LBU -> c.invokevirtual(CD_INTERP, "ld8", MethodTypeDesc.of(CD_int, CD_long)).i2l().loadConstant(0xffL).land();
                    case LH -> c.invokevirtual(CD_INTERP, "ld16", MethodTypeDesc.of(CD_int, CD_long)).i2s().i2l();
                    case LHU -> c.invokevirtual(CD_INTERP, "ld16", MethodTypeDesc.of(CD_int, CD_long)).i2l().loadConstant(0xffffL).land();
                    case LW -> c.invokevirtual(CD_INTERP, "ld32", MethodTypeDesc.of(CD_int, CD_long)).i2l();
                    case LWU -> c.invokevirtual(CD_INTERP, "ld32", MethodTypeDesc.of(CD_int, CD_long)).i2l().loadConstant(0xffff_ffffL).land();
                    default -> c.invokevirtual(CD_INTERP, "ld64", MethodTypeDesc.of(CD_long, CD_long));
                }
                c.lastore();
            }
            case SB, SH, SW, SD -> {
                c.aload(IN); addr(c, rs1, imm); reg(c, rs2);
                switch (op) {
                    case SB -> c.l2i().invokevirtual(CD_INTERP, "st8", MethodTypeDesc.of(CD_void, CD_long, CD_int));
                    case SH -> c.l2i().invokevirtual(CD_INTERP, "st16", MethodTypeDesc.of(CD_void, CD_long, CD_int));
                    case SW -> c.l2i().invokevirtual(CD_INTERP, "st32", MethodTypeDesc.of(CD_void, CD_long, CD_int));
                    default -> c.invokevirtual(CD_INTERP, "st64", MethodTypeDesc.of(CD_void, CD_long, CD_long));
                }
            }
            case FLW, FLD, FSW, FSD, FP -> {
                c.aload(IN).loadConstant(w); pcPlus(c, off);
                c.invokevirtual(CD_INTERP, "fpStep", MethodTypeDesc.of(CD_void, CD_long, CD_long));
            }
            case FENCE -> { }
            case MUL, MULH, MULHSU, MULHU, DIV, DIVU, REM, REMU, MULW, DIVW, DIVUW, REMW, REMUW -> {
                dst(c, rd); c.loadConstant(op); reg(c, rs1); reg(c, rs2);
                c.invokestatic(CD_MULDIV, "execute", MethodTypeDesc.of(CD_long, CD_int, CD_long, CD_long)).lastore();
            }
            default -> { dst(c, rd); alu(c, op, rs1, rs2, imm); c.lastore(); }
        }
        return false;
    }

    /** Pushes the value of a register-register or register-immediate ALU op (the interpreter's semantics). */
    private static void alu(CodeBuilder c, int op, int rs1, int rs2, int imm) {
        reg(c, rs1);
        switch (op) {
            case ADDI -> c.loadConstant((long) imm).ladd();
            case XORI -> c.loadConstant((long) imm).lxor();
            case ORI -> c.loadConstant((long) imm).lor();
            case ANDI -> c.loadConstant((long) imm).land();
            case SLLI -> c.loadConstant(imm).lshl();
            case SRLI -> c.loadConstant(imm).lushr();
            case SRAI -> c.loadConstant(imm).lshr();
            case SLTI -> { c.loadConstant((long) imm).lcmp(); bool(c); }
            case SLTIU -> { c.loadConstant((long) imm).invokestatic(CD_Long, "compareUnsigned", JJ_I); bool(c); }
            case ADD -> { reg(c, rs2); c.ladd(); }
            case SUB -> { reg(c, rs2); c.lsub(); }
            case XOR -> { reg(c, rs2); c.lxor(); }
            case OR -> { reg(c, rs2); c.lor(); }
            case AND -> { reg(c, rs2); c.land(); }
            case SLL -> { reg(c, rs2); c.l2i().lshl(); }
            case SRL -> { reg(c, rs2); c.l2i().lushr(); }
            case SRA -> { reg(c, rs2); c.l2i().lshr(); }
            case SLT -> { reg(c, rs2); c.lcmp(); bool(c); }
            case SLTU -> { reg(c, rs2); c.invokestatic(CD_Long, "compareUnsigned", JJ_I); bool(c); }
            // W-ops: compute on the low 32 bits, sign-extend the result (unpriv §5.2)
            case ADDIW -> c.loadConstant((long) imm).ladd().l2i().i2l();
            case SLLIW -> c.l2i().loadConstant(imm).ishl().i2l();
            case SRLIW -> c.l2i().loadConstant(imm).iushr().i2l();
            case SRAIW -> c.l2i().loadConstant(imm).ishr().i2l();
            case ADDW -> { reg(c, rs2); c.ladd().l2i().i2l(); }
            case SUBW -> { reg(c, rs2); c.lsub().l2i().i2l(); }
            case SLLW -> { c.l2i(); reg(c, rs2); c.l2i().ishl().i2l(); }
            case SRLW -> { c.l2i(); reg(c, rs2); c.l2i().iushr().i2l(); }
            case SRAW -> { c.l2i(); reg(c, rs2); c.l2i().ishr().i2l(); }
            default -> throw new IllegalArgumentException("not an ALU op: " + op);
        }
    }

    /** int comparison result on the stack → 1L when negative (a < b), else 0L. */
    private static void bool(CodeBuilder c) {
        Label neg = c.newLabel(), done = c.newLabel();
        c.iflt(neg).lconst_0().goto_(done);
        c.labelBinding(neg);
        c.lconst_1();
        c.labelBinding(done);
    }

    private static void reg(CodeBuilder c, int r) {
        if (r == 0) c.lconst_0();
        else c.aload(X).loadConstant(r).laload();
    }

    /** Array and index for a store to x[rd] (rd 32 is the x0 sink, as in the interpreter). */
    private static void dst(CodeBuilder c, int rd) {
        c.aload(X).loadConstant(rd);
    }

    private static void addr(CodeBuilder c, int rs1, int imm) {
        reg(c, rs1);
        if (imm != 0) c.loadConstant((long) imm).ladd();
    }

    private static void pcPlus(CodeBuilder c, long k) {
        c.lload(PC);
        if (k != 0) c.loadConstant(k).ladd();
    }
}
