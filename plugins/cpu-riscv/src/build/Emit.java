import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The translator's side of {@link InsnGen}: compiles each translatable instruction's semantics into the Java
 * source of a java.lang.classfile emitter (the expression evaluated on the JVM operand stack, guest registers
 * through the translator's reg/set, pc-relative values folded into constants), written as the class Emitter,
 * which the translator's code generator extends for the mechanics (register locals, exits, chaining, traps).
 */
final class Emit {
    private Emit() {}

    private final StringBuilder b = new StringBuilder();
    private int labels;

    static String emitter() {
        Map<String, String> cases = new LinkedHashMap<>();
        for (InsnGen.Insn n : InsnGen.insns) if (!InsnGen.interpOnly(n)) cases.put(n.name(), new Emit().body(n));
        Map<String, List<String>> byBody = new LinkedHashMap<>();
        cases.forEach((label, body) -> byBody.computeIfAbsent(body, k -> new ArrayList<>()).add(label));
        StringBuilder s = new StringBuilder(InsnGen.HEAD);
        s.append("""
                import java.lang.classfile.CodeBuilder;
                import java.lang.classfile.Label;
                import java.lang.constant.ClassDesc;
                import java.lang.constant.MethodTypeDesc;

                import static io.drydock.riscv.Op.*;
                import static java.lang.constant.ConstantDescs.*;

                /**
                 * The translator's per-instruction bytecode, from rv64gc.insn: each case leaves on the JVM operand stack
                 * what the interpreter's case computes and stores it the same way. The mechanics are the subclass's
                 * (Translator.Gen): registers in locals, pc as the region's start plus a constant, exits, chaining, traps.
                 */
                abstract class Emitter {
                    static final ClassDesc CD_INTERP = ClassDesc.of("io.drydock.riscv.Interpreter");
                    static final ClassDesc CD_FPU = ClassDesc.of("io.drydock.riscv.Fpu");
                    static final MethodTypeDesc JJ_I = MethodTypeDesc.of(CD_int, CD_long, CD_long);

                    final CodeBuilder c;

                    Emitter(CodeBuilder c) { this.c = c; }

                    /** Pushes integer register reg (x0: 0L). */
                    abstract void reg(int reg);
                    /** Pops a long into rd (the x0 sink 32: dropped). */
                    abstract void set(int rd);
                    /** Pushes pc + off, off counted from the region's start. */
                    abstract void pcPlus(long off);
                    /** Pushes the Interpreter (the receiver of the memory primitives). */
                    abstract void interpreter();
                    /** Stores the long on the stack into / pushes the scratch local (the jalr target). */
                    abstract void storeTemp();
                    abstract void loadTemp();
                    /** Instruction k jumps to the region's start + targetOff; false (control does not fall through). */
                    abstract boolean jump(int k, long targetOff);
                    /** Instruction k jumps to the pc in the scratch local; false. */
                    abstract boolean jumpIndirect();
                    /** Instruction k's branch is taken here (to start + targetOff), not taken at notTaken; true. */
                    abstract boolean branch(int k, long targetOff, Label notTaken);
                    /** Pushes the instructions left in the run's budget before this one (an int). */
                    abstract void left();
                    /** Pushes the hart's FP register array. */
                    abstract void fregs();
                    /** The instruction falls through to the next one (counts it); true. */
                    abstract boolean next();

                    /** The Interpreter method that translated code calls for the extern "in" function {@code name}. */
                    String inMethod(String name) { return name; }

                    /** Emits instruction k (at off bytes from the region's start); false when control does not fall through. */
                    final boolean emit(long w, int k, int off) {
                        int op = op(w), rd = rd(w), rs1 = rs1(w), rs2 = rs2(w), imm = imm(w), len = len(w);
                        switch (op) {
                """);
        byBody.forEach((body, names) -> s.append("            case ").append(String.join(", ", names)).append(" -> {\n").append(body).append("            }\n"));
        s.append("""
                            default -> throw new IllegalArgumentException("not translatable: op " + op);
                        }
                    }
                }
                """);
        return s.toString();
    }

    private void line(String code) { b.append("                ").append(code).append('\n'); }

    String body(InsnGen.Insn n) {
        List<InsnGen.S> body = n.body();
        for (int i = 0; i < body.size(); i++) {
            InsnGen.S s = body.get(i);
            boolean last = i == body.size() - 1;
            switch (s.kind()) {
                case "rd" -> { value(s.e(), InsnGen.T.LONG); line("set(rd);"); }
                case "frd" -> { line("fregs(); c.loadConstant(rd);"); value(s.e(), InsnGen.T.LONG); line("c.lastore();"); }
                case "t" -> { value(s.e(), InsnGen.T.LONG); line("storeTemp();"); }
                case "call" -> {
                    InsnGen.T t = InsnGen.typeOf(s.e());
                    value(s.e(), t);
                    if (t == InsnGen.T.INT) line("c.pop();");
                    if (t == InsnGen.T.LONG) line("c.pop2();");
                }
                case "goto" -> {
                    if (!last) throw new IllegalArgumentException(n.name() + ": statements after goto");
                    if (InsnGen.isPcRelative(s.e())) line("return jump(k, " + offset(s.e()) + ");");
                    else {
                        if (!(s.e() instanceof InsnGen.Var v && v.name().equals("t"))) { value(s.e(), InsnGen.T.LONG); line("storeTemp();"); }
                        line("return jumpIndirect();");
                    }
                    return b.toString();
                }
                case "if" -> {
                    if (!last || !InsnGen.isPcRelative(s.e())) throw new IllegalArgumentException(n.name() + ": a branch is pc-relative and last");
                    line("Label notTaken = c.newLabel();");
                    jumpIf(s.cond(), false, "notTaken");
                    line("return branch(k, " + offset(s.e()) + ", notTaken);");
                    return b.toString();
                }
                default -> throw new IllegalArgumentException(n.name() + ": " + s.kind() + " is not translatable");
            }
        }
        line("return next();");
        return b.toString();
    }

    /** The Java expression of the byte offset pc + X from the region's start (off is the instruction's). */
    private static String offset(InsnGen.E pcPlus) {
        InsnGen.E r = ((InsnGen.Bin) pcPlus).r();
        return switch (r) {
            case InsnGen.Var v when v.name().equals("imm") -> "off + (long) imm";
            case InsnGen.Var v when v.name().equals("len") -> "off + len";
            case InsnGen.Lit l -> "off + " + l.value() + "L";
            default -> throw new IllegalArgumentException("pc + " + r + ": not a constant offset");
        };
    }

    private static boolean constantOffset(InsnGen.E e) {
        return InsnGen.isPcRelative(e) && (((InsnGen.Bin) e).r() instanceof InsnGen.Lit
                || ((InsnGen.Bin) e).r() instanceof InsnGen.Var v && (v.name().equals("imm") || v.name().equals("len")));
    }

    private static String desc(InsnGen.T t) {
        return switch (t) { case INT -> "CD_int"; case LONG -> "CD_long"; case VOID -> "CD_void"; default -> throw new IllegalArgumentException(t.name()); };
    }

    /** Pushes e converted to want (INT or LONG). */
    void value(InsnGen.E e, InsnGen.T want) {
        InsnGen.T t = InsnGen.typeOf(e);
        switch (e) {
            case InsnGen.Var v -> {
                switch (v.name()) {
                    case "rs1", "rs2" -> line("reg(" + v.name() + ");");
                    case "imm", "len", "op", "fd", "fs1", "fs2", "fs3", "rm" -> {
                        String k = switch (v.name()) {
                            case "fd" -> "rd"; case "fs1" -> "rs1"; case "fs2" -> "rs2"; case "fs3" -> "(imm >>> 27)"; case "rm" -> "(imm >> 12 & 7)";
                            default -> v.name();
                        };
                        line(want == InsnGen.T.LONG ? "c.loadConstant((long) " + k + ");" : "c.loadConstant(" + k + ");");
                        return;
                    }
                    case "pc" -> line("pcPlus(off);");
                    case "left" -> line("left();");
                    case "w" -> line("c.loadConstant(w);");
                    case "frs2" -> line("fregs(); c.loadConstant(rs2); c.laload();");
                    case "t" -> line("loadTemp();");
                    default -> throw new IllegalArgumentException(v.name() + " is not translatable");
                }
            }
            case InsnGen.Lit l -> { line(want == InsnGen.T.LONG ? "c.loadConstant(" + l.value() + "L);" : "c.loadConstant(" + (int) l.value() + ");"); return; }
            case InsnGen.Un u -> {
                if (u.op().equals("!")) throw new IllegalArgumentException("a condition as a value");
                value(u.e(), t);
                String p = t == InsnGen.T.LONG ? "l" : "i";
                if (u.op().equals("-")) line("c." + p + "neg();");
                else line("c.loadConstant(" + (t == InsnGen.T.LONG ? "-1L" : "-1") + ")." + p + "xor();");
            }
            case InsnGen.Cast k -> {
                value(k.e(), k.to().equals("long") ? InsnGen.T.LONG : InsnGen.T.INT);
                if (k.to().equals("byte")) line("c.i2b();");
                if (k.to().equals("short")) line("c.i2s();");
            }
            case InsnGen.Bin x when constantOffset(x) -> line("pcPlus(" + offset(x) + ");");
            case InsnGen.Bin x when x.op().equals("+") && t == InsnGen.T.LONG && x.r() instanceof InsnGen.Var v && v.name().equals("imm") -> {
                value(x.l(), InsnGen.T.LONG);
                line("if (imm != 0) c.loadConstant((long) imm).ladd();"); // the address of a load/store at offset 0
            }
            case InsnGen.Bin x -> {
                String p = t == InsnGen.T.LONG ? "l" : "i";
                value(x.l(), t);
                boolean shift = x.op().startsWith("<<") || x.op().startsWith(">>");
                value(x.r(), shift ? InsnGen.T.INT : t);
                String insn = switch (x.op()) {
                    case "+" -> "add"; case "-" -> "sub"; case "*" -> "mul"; case "&" -> "and"; case "|" -> "or"; case "^" -> "xor";
                    case "<<" -> "shl"; case ">>" -> "shr"; case ">>>" -> "ushr";
                    default -> throw new IllegalArgumentException("a condition as a value: " + x.op());
                };
                line("c." + p + insn + "();");
            }
            case InsnGen.Cond k -> {
                String f = "l" + ++labels, done = "l" + ++labels;
                line("Label " + f + " = c.newLabel(), " + done + " = c.newLabel();");
                jumpIf(k.c(), false, f);
                value(k.a(), t);
                line("c.goto_(" + done + ");");
                line("c.labelBinding(" + f + ");");
                value(k.b(), t);
                line("c.labelBinding(" + done + ");");
            }
            case InsnGen.Call k -> {
                InsnGen.Extern f = k.f();
                if (f.scope().equals("in") || f.scope().equals("fpu")) line("interpreter();");
                if (f.scope().equals("fpu")) line("c.getfield(CD_INTERP, \"fpu\", CD_FPU);");
                for (int i = 0; i < k.args().size(); i++) value(k.args().get(i), f.params().get(i));
                String type = "MethodTypeDesc.of(" + desc(f.ret()) + String.join("", f.params().stream().map(p -> ", " + desc(p)).toList()) + ")";
                if (f.scope().equals("in")) line("c.invokevirtual(CD_INTERP, inMethod(\"" + f.name() + "\"), " + type + ");");
                else if (f.scope().equals("fpu")) line("c.invokevirtual(CD_FPU, \"" + f.name() + "\", " + type + ");");
                else {
                    int dot = f.name().lastIndexOf('.');
                    line("c.invokestatic(ClassDesc.of(\"io.drydock.riscv." + f.name().substring(0, dot) + "\"), \"" + f.name().substring(dot + 1) + "\", " + type + ");");
                }
            }
            case InsnGen.Ltu l -> throw new IllegalArgumentException("a condition as a value");
        }
        if (t == InsnGen.T.INT && want == InsnGen.T.LONG) line("c.i2l();");
        if (t == InsnGen.T.LONG && want == InsnGen.T.INT) line("c.l2i();");
    }

    private static final Map<String, String> CC = Map.of("==", "eq", "!=", "ne", "<", "lt", ">=", "ge", ">", "gt", "<=", "le");

    /** Jumps to label when cond is when (the condition's operands compared as Java compares them). */
    void jumpIf(InsnGen.E cond, boolean when, String label) {
        switch (cond) {
            case InsnGen.Un u when u.op().equals("!") -> jumpIf(u.e(), !when, label);
            case InsnGen.Ltu l -> {
                value(l.a(), InsnGen.T.LONG);
                value(l.b(), InsnGen.T.LONG);
                line("c.invokestatic(CD_Long, \"compareUnsigned\", JJ_I);");
                line("c." + (when ? "iflt" : "ifge") + "(" + label + ");");
            }
            case InsnGen.Bin x when CC.containsKey(x.op()) -> {
                InsnGen.T t = InsnGen.promote(InsnGen.typeOf(x.l()), InsnGen.typeOf(x.r()));
                value(x.l(), t);
                value(x.r(), t);
                String cc = CC.get(when ? x.op() : InsnGen.NEG.get(x.op()));
                if (t == InsnGen.T.LONG) line("c.lcmp().if" + cc + "(" + label + ");");
                else line("c.if_icmp" + cc + "(" + label + ");");
            }
            default -> throw new IllegalArgumentException("not a condition: " + cond);
        }
    }
}
