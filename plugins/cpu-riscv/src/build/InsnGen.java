import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Generates cpu-riscv's per-instruction code from the one description src/main/insn/rv64gc.insn (its header
 * says the format): the op numbers (OpNumbers), the interpreter's switch cases and fpOp's cases (filled into
 * the template src/main/insn/Interpreter.java.in at its {@code //@insn:} markers), the translator's bytecode
 * emitters (Emitter: java.lang.classfile calls, the expressions compiled for the JVM's operand stack), what the
 * translator and region former ask of an op (Insns), the disassembler's cases (InsnText) and, with Decode, the
 * decoder (InsnDecoder).
 * Run by the module's pom in generate-sources: {@code java InsnGen.java <table> <template> <outdir>}.
 */
public final class InsnGen {
    private InsnGen() {}

    enum T { INT, LONG, BOOL, VOID, REF }

    record Extern(String scope, T ret, String name, List<T> params, boolean traps) {}

    sealed interface E permits Var, Lit, Un, Cast, Bin, Cond, Call, Ltu {}
    record Var(String name) implements E {}
    record Lit(long value, T type, String text) implements E {}
    record Un(String op, E e) implements E {}
    record Cast(String to, E e) implements E {}
    record Bin(String op, E l, E r) implements E {}
    record Cond(E c, E a, E b) implements E {}
    record Call(Extern f, List<E> args) implements E {}
    record Ltu(E a, E b) implements E {}

    /** A statement: kind is rd, frd, t (assignments), call, throw, goto, if (conditional goto). */
    record S(String kind, E e, E cond) {}

    /** A 32-bit encoding: the operand format and the bits that must match (mask, match). */
    record Enc(String format, int mask, int match, boolean compressed) {}

    record Insn(String name, int number, List<String> flags, List<S> body, List<String[]> text, List<Enc> encodings) {
        boolean has(String flag) { return flags.contains(flag); }
        /** The interpreter has a C + NAME case: a 16-bit encoding (system ops aside: the default case runs them), or the flag c. */
        boolean compressed() { return has("c") || !has("system") && encodings.stream().anyMatch(Enc::compressed); }
        boolean instruction() { return !has("pseudo"); }
    }

    static final Map<String, Extern> externs = new LinkedHashMap<>();
    static final List<Insn> insns = new ArrayList<>();

    public static void main(String[] args) throws IOException {
        if (args.length != 3) throw new IllegalArgumentException("usage: java InsnGen.java TABLE TEMPLATE OUTDIR");
        read(Files.readAllLines(Path.of(args[0])));
        if (insns.size() > 128) throw new IllegalArgumentException("more than 128 ops: Op packs the op in 7 bits");
        Path out = Path.of(args[2], "io", "drydock", "riscv");
        Files.createDirectories(out);
        write(out.resolve("OpNumbers.java"), opNumbers());
        write(out.resolve("Insns.java"), insnInfo());
        write(out.resolve("Emitter.java"), Emit.emitter());
        write(out.resolve("InsnText.java"), text());
        write(out.resolve("InsnDecoder.java"), Decode.decoder());
        write(out.resolve("Interpreter.java"), fill(Files.readString(Path.of(args[1]))));
    }

    static void write(Path p, String s) throws IOException {
        if (!Files.exists(p) || !Files.readString(p).equals(s)) Files.writeString(p, s); // unchanged: no recompile
    }

    // ---- the table ----

    static void read(List<String> lines) {
        List<String> joined = new ArrayList<>();
        for (String raw : lines) {
            String l = raw.startsWith("#") ? "" : raw;
            if (l.isBlank()) continue;
            if (Character.isWhitespace(l.charAt(0)) && !joined.isEmpty()) joined.set(joined.size() - 1, joined.getLast() + " " + l.strip());
            else joined.add(l.strip());
        }
        for (String l : joined) {
            if (l.startsWith("extern ")) { extern(l); continue; }
            String[] parts = l.split(" % ");
            List<Enc> encodings = new ArrayList<>();
            for (int k = 1; k < parts.length; k++) encodings.add(encoding(parts[k].strip()));
            String[] alts = parts[0].split(" @ ");
            String head = alts[0];
            int colon = head.indexOf(" : ");
            String[] words = (colon < 0 ? head : head.substring(0, colon)).trim().split("\\s+");
            List<String> flags = List.of(words).subList(1, words.length);
            List<S> body = new ArrayList<>();
            if (colon >= 0) for (String s : head.substring(colon + 3).split(";")) if (!s.isBlank()) body.add(new Parser(s.strip()).statement());
            List<String[]> text = new ArrayList<>();
            for (int i = 1; i < alts.length; i++) {
                String a = alts[i].strip();
                int iff = a.lastIndexOf(" if ");
                text.add(iff < 0 ? new String[] {a, null} : new String[] {a.substring(0, iff).strip(), a.substring(iff + 4).strip()});
            }
            insns.add(new Insn(words[0], insns.size(), flags, body, text, encodings));
        }
    }

    /**
     * "R 0000000 ..... ..... 000 ..... 0110011": format, then 32 bits from bit 31 down, '.' for any; or a
     * compressed one, 16 bits ("CA 100 0 11 ... 00 ... 01").
     */
    static Enc encoding(String e) {
        int sp = e.indexOf(' ');
        String bits = e.substring(sp + 1).replace(" ", "");
        if (bits.length() != 32 && bits.length() != 16 || !bits.matches("[01.]+")) throw new IllegalArgumentException("not 32 or 16 bits: " + e);
        int mask = 0, match = 0, n = bits.length();
        for (int k = 0; k < n; k++) {
            char ch = bits.charAt(k);
            if (ch != '.') { mask |= 1 << (n - 1 - k); if (ch == '1') match |= 1 << (n - 1 - k); }
        }
        int fixed = n == 32 ? 0x7f : 0xe003; // the major opcode; a quadrant and funct3
        if ((mask & fixed) != fixed || n == 16 && (match & 3) == 3) throw new IllegalArgumentException("the opcode bits must be fixed: " + e);
        return new Enc(e.substring(0, sp), mask, match, n == 16);
    }

    static void extern(String l) {
        // extern SCOPE TYPE NAME(PARAMS) [traps]
        String[] p = l.split("\\s+", 4);
        String sig = p[3], name = sig.substring(0, sig.indexOf('(')).strip();
        String params = sig.substring(sig.indexOf('(') + 1, sig.indexOf(')'));
        List<T> ps = new ArrayList<>();
        for (String t : params.split(",")) if (!t.isBlank()) ps.add(type(t.strip()));
        externs.put(name, new Extern(p[1], type(p[2]), name, ps, sig.substring(sig.indexOf(')')).contains("traps")));
    }

    static T type(String t) {
        return switch (t) { case "int" -> T.INT; case "long" -> T.LONG; case "void" -> T.VOID; default -> T.REF; };
    }

    /** Recursive descent over the expression language (Java's precedence, the subset the table uses). */
    static final class Parser {
        private final String s;
        private int i;

        Parser(String s) { this.s = s; }

        S statement() {
            S st;
            if (eat("if")) {
                expect("(");
                E c = expr();
                expect(")");
                expect("goto");
                st = new S("if", expr(), c);
            } else if (eat("goto")) st = new S("goto", expr(), null);
            else if (eat("throw")) st = new S("throw", expr(), null);
            else {
                int mark = i;
                String id = ident();
                if (id != null && (id.equals("rd") || id.equals("frd") || id.equals("t")) && eat("=")) st = new S(id, expr(), null);
                else { i = mark; st = new S("call", expr(), null); }
            }
            ws();
            if (i != s.length()) throw error("unexpected text");
            return st;
        }

        E expr() {
            E c = binary(0);
            if (!eat("?")) return c;
            E a = expr();
            expect(":");
            return new Cond(c, a, expr());
        }

        private static final String[][] LEVELS = {{"|"}, {"^"}, {"&"}, {"==", "!="}, {"<=", ">=", "<", ">"},
                {"<<", ">>>", ">>"}, {"+", "-"}, {"*"}};

        E binary(int level) {
            if (level == LEVELS.length) return unary();
            E l = binary(level + 1);
            for (;;) {
                String op = null;
                for (String o : LEVELS[level]) if (peekOp(o)) { op = o; break; }
                if (op == null) return l;
                i += op.length();
                l = new Bin(op, l, binary(level + 1));
            }
        }

        /** An operator here, and not the start of a longer one (| vs ||, < vs <<, > vs >>>). */
        private boolean peekOp(String o) {
            ws();
            if (!s.startsWith(o, i)) return false;
            char next = i + o.length() < s.length() ? s.charAt(i + o.length()) : ' ';
            return !(o.equals("|") && next == '|' || o.equals("&") && next == '&' || (o.equals("<") || o.equals(">")) && next == o.charAt(0)
                    || o.equals(">>") && next == '>' || (o.equals("<") || o.equals(">")) && next == '=');
        }

        E unary() {
            ws();
            if (eat("!")) return new Un("!", unary());
            if (eat("-")) return fold(new Un("-", unary()));
            if (eat("~")) return fold(new Un("~", unary()));
            for (String t : new String[] {"byte", "short", "int", "long"}) {
                int mark = i;
                if (eat("(") && eat(t) && eat(")")) return new Cast(t, unary());
                i = mark;
            }
            if (eat("(")) {
                E e = expr();
                expect(")");
                return e;
            }
            if (Character.isDigit(s.charAt(i))) return literal();
            String id = ident();
            if (id == null) throw error("operand expected");
            if (eat("(")) {
                List<E> args = new ArrayList<>();
                if (!eat(")")) {
                    do args.add(expr()); while (eat(","));
                    expect(")");
                }
                if (id.equals("ltu")) return new Ltu(args.get(0), args.get(1));
                Extern f = externs.get(id);
                if (f == null) throw error("no extern " + id);
                return new Call(f, args);
            }
            if (!List.of("rs1", "rs2", "frs2", "imm", "pc", "len", "op", "w", "t", "fd", "fs1", "fs2", "fs3", "rm", "left").contains(id)) throw error("unknown operand " + id);
            return new Var(id);
        }

        private static E fold(Un u) {
            if (!(u.e() instanceof Lit l)) return u;
            long v = u.op().equals("-") ? -l.value() : ~l.value();
            return new Lit(v, l.type(), u.op() + l.text());
        }

        E literal() {
            int st = i;
            while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) i++;
            String text = s.substring(st, i), d = text.replace("_", "");
            boolean isLong = d.endsWith("L");
            if (isLong) d = d.substring(0, d.length() - 1);
            long v = d.startsWith("0x") ? Long.parseUnsignedLong(d.substring(2), 16) : Long.parseLong(d);
            return new Lit(isLong ? v : (int) v, isLong ? T.LONG : T.INT, text);
        }

        String ident() {
            ws();
            int st = i;
            while (i < s.length() && (Character.isJavaIdentifierPart(s.charAt(i)) || s.charAt(i) == '.' && i > st)) i++;
            return i == st ? null : s.substring(st, i);
        }

        boolean eat(String tok) {
            ws();
            if (!s.startsWith(tok, i)) return false;
            int end = i + tok.length();
            if (Character.isJavaIdentifierPart(tok.charAt(tok.length() - 1)) && end < s.length() && Character.isJavaIdentifierPart(s.charAt(end))) return false;
            i = end;
            return true;
        }

        void expect(String tok) { if (!eat(tok)) throw error("'" + tok + "' expected"); }

        void ws() { while (i < s.length() && s.charAt(i) == ' ') i++; }

        IllegalArgumentException error(String what) { return new IllegalArgumentException(what + " at " + i + " in: " + s); }
    }

    // ---- types ----

    static T typeOf(E e) {
        return switch (e) {
            case Var v -> switch (v.name()) { case "imm", "len", "op", "fd", "fs1", "fs2", "fs3", "rm", "left" -> T.INT; default -> T.LONG; };
            case Lit l -> l.type();
            case Un u -> u.op().equals("!") ? T.BOOL : typeOf(u.e());
            case Cast c -> c.to().equals("long") ? T.LONG : T.INT;
            case Bin b -> switch (b.op()) {
                case "==", "!=", "<", "<=", ">", ">=" -> T.BOOL;
                case "<<", ">>", ">>>" -> typeOf(b.l());
                default -> promote(typeOf(b.l()), typeOf(b.r()));
            };
            case Cond c -> promote(typeOf(c.a()), typeOf(c.b()));
            case Call c -> c.f().ret();
            case Ltu l -> T.BOOL;
        };
    }

    static T promote(T a, T b) { return a == T.LONG || b == T.LONG ? T.LONG : T.INT; }

    /** The instruction never reaches the translator: system (but a csr op), pseudo, a trap, or an interpreter-only call. */
    static boolean interpOnly(Insn n) {
        if (n.has("system") && !n.has("csr") || n.has("pseudo")) return true;
        for (S s : n.body()) if (s.kind().equals("throw") || usesInterp(s.e()) || s.cond() != null && usesInterp(s.cond())) return true;
        return false;
    }

    static boolean usesInterp(E e) { return walk(e, x -> x instanceof Call c && c.f().scope().equals("interp")); }

    static boolean traps(Insn n) {
        if (n.has("fp")) return true;
        for (S s : n.body()) if (walk(s.e(), x -> x instanceof Call c && c.f().traps())) return true;
        return false;
    }

    static boolean walk(E e, java.util.function.Predicate<E> p) {
        if (e == null) return false;
        if (p.test(e)) return true;
        return switch (e) {
            case Un u -> walk(u.e(), p);
            case Cast c -> walk(c.e(), p);
            case Bin b -> walk(b.l(), p) || walk(b.r(), p);
            case Cond c -> walk(c.c(), p) || walk(c.a(), p) || walk(c.b(), p);
            case Call c -> c.args().stream().anyMatch(a -> walk(a, p));
            case Ltu l -> walk(l.a(), p) || walk(l.b(), p);
            default -> false;
        };
    }

    static boolean reads(Insn n, String reg) {
        for (S s : n.body()) if (walk(s.e(), x -> x instanceof Var v && v.name().equals(reg)) || walk(s.cond(), x -> x instanceof Var v && v.name().equals(reg))) return true;
        return false;
    }

    // ---- the interpreter (Java source) ----

    /** Java source of e in the interpreter; len is the case's instruction length. */
    static String java(E e, int len) {
        return switch (e) {
            case Var v -> switch (v.name()) {
                // the fields are locals, extracted once before the switch (Interpreter.java.in): as a call of
                // Op.rs1 & co. at each use, C2 stopped inlining them once run's node count passed its inlining
                // cutoff and a Linux boot spent 12 % of the hart's time in out-of-line calls of them
                case "rs1" -> "x[rs1]";
                case "rs2" -> "x[rs2]";
                case "frs2" -> "f[rs2]";
                case "imm" -> "imm";
                case "op" -> "op(w)";
                case "len" -> len == 0 ? "len" : String.valueOf(len); // 0: the interpreter loop's local
                case "fd" -> "rd"; // an F/D format's rd: the register number, no sink
                case "fs1" -> "rs1";
                case "fs2" -> "rs2";
                case "fs3" -> "(imm >>> 27)";
                case "rm" -> "(imm >> 12 & 7)";
                default -> v.name(); // pc, w, t
            };
            case Lit l -> l.text();
            case Un u -> u.op().equals("!") ? negate(u.e(), len) : u.op() + paren(u.e(), len);
            case Cast c -> "(" + c.to() + ") " + paren(c.e(), len);
            case Bin b -> paren(b.l(), len) + " " + b.op() + " " + paren(b.r(), len);
            // a comparison's 1 or 0 (slt, sltu...) without a conditional branch, for the reason given at taken()
            case Cond c when isLit(c.a(), 1) && isLit(c.b(), 0) && taken(c.c(), len) != null -> "(long) " + taken(c.c(), len);
            case Cond c -> java(c.c(), len) + " ? " + java(c.a(), len) + " : " + java(c.b(), len);
            case Call c -> (c.f().scope().equals("fpu") ? "fpu." : "") + c.f().name() + "(" + String.join(", ", c.args().stream().map(a -> java(a, len)).toList()) + ")";
            // unsigned compare: flip the sign bits, compare signed
            case Ltu l -> paren(l.a(), len) + " + Long.MIN_VALUE < " + paren(l.b(), len) + " + Long.MIN_VALUE";
        };
    }

    static String negate(E e, int len) {
        if (e instanceof Ltu l) return paren(l.a(), len) + " + Long.MIN_VALUE >= " + paren(l.b(), len) + " + Long.MIN_VALUE";
        if (e instanceof Bin b && NEG.containsKey(b.op())) return java(new Bin(NEG.get(b.op()), b.l(), b.r()), len);
        return "!(" + java(e, len) + ")";
    }

    static final Map<String, String> NEG = Map.of("==", "!=", "!=", "==", "<", ">=", ">=", "<", ">", "<=", "<=", ">");

    static String paren(E e, int len) {
        return e instanceof Bin || e instanceof Cond || e instanceof Ltu ? "(" + java(e, len) + ")" : java(e, len);
    }

    /**
     * One interpreter case body: the statements, then pc += len unless control left (goto, throw). In the
     * dispatch loop a jump or taken branch counts the instruction and goes back to the outer loop, which
     * checks the page; fpOp (loop = false) has no pc increment.
     */
    static final E LEN = new Var("len");

    static String interpBody(Insn n, int len, boolean loop) {
        StringBuilder b = new StringBuilder();
        boolean ends = false;
        for (S s : n.body()) {
            String v = java(s.e(), len);
            switch (s.kind()) {
                case "rd" -> b.append("x[rd] = ").append(v).append("; ");
                case "frd" -> b.append("f[rd] = ").append(v).append("; ");
                case "t" -> b.append("long t = ").append(v).append("; ");
                case "call" -> b.append(v).append("; ");
                case "throw" -> { b.append("throw ").append(v).append("; "); ends = true; }
                case "goto" -> { b.append(jumpTo(s.e(), len)); ends = true; }
                case "if" -> {
                    String tk = loop && isPcRelative(s.e()) ? taken(s.cond(), len) : null;
                    if (tk == null) b.append("if (").append(java(s.cond(), len)).append(") { ").append(jumpTo(s.e(), len)).append("} ");
                    else b.append("taken = ").append(tk).append("; pc += ").append(java(LEN, len)).append(" + ((")
                            .append(java(((Bin) s.e()).r(), len)).append(" - ").append(java(LEN, len)).append(") & -taken); ");
                    ends = tk != null; // the next pc is set either way
                }
                default -> throw new IllegalStateException(s.kind());
            }
            if (!loop && (s.kind().equals("goto") || s.kind().equals("if"))) throw new IllegalArgumentException(n.name() + ": a jump in fpOp");
        }
        if (!ends && loop) b.append("pc += ").append(java(LEN, len)).append("; ");
        return b.toString().strip();
    }

    /**
     * A pc-relative conditional branch's condition as an int 0 or 1 computed without a conditional branch
     * (Interpreter.bEq, bLt, bLtu), or null when it has no such form. The case then sets the next pc by
     * arithmetic and leaves the direction to one test after the switch shared by every branch case (and slt/sltu
     * their result): C2 compiles
     * execute from a profile, and a branch case whose direction the profile had not seen was compiled as a trap
     * that threw the whole method away when first met (docs/speed.md, session 6).
     */
    static String taken(E c, int len) {
        return switch (c) {
            case Ltu l -> "bLtu(" + java(l.a(), len) + ", " + java(l.b(), len) + ")";
            case Un u when u.op().equals("!") -> { String t = taken(u.e(), len); yield t == null ? null : "(" + t + " ^ 1)"; }
            case Bin b when integral(b.l()) && integral(b.r()) -> { // int operands widen to long, as in Java's compare
                String l = java(b.l(), len), r = java(b.r(), len);
                yield switch (b.op()) {
                    case "==" -> "bEq(" + l + ", " + r + ")";
                    case "!=" -> "(bEq(" + l + ", " + r + ") ^ 1)";
                    case "<" -> "bLt(" + l + ", " + r + ")";
                    case ">=" -> "(bLt(" + l + ", " + r + ") ^ 1)";
                    case ">" -> "bLt(" + r + ", " + l + ")";
                    case "<=" -> "(bLt(" + r + ", " + l + ") ^ 1)";
                    default -> null;
                };
            }
            default -> null;
        };
    }

    static boolean isLit(E e, long v) { return e instanceof Lit l && l.value() == v; }

    static boolean integral(E e) { return typeOf(e) == T.LONG || typeOf(e) == T.INT; }

    static String jumpTo(E target, int len) {
        String set = isPcRelative(target) ? "pc += " + java(((Bin) target).r(), len) : "pc = " + java(target, len);
        return set + "; n++; break outer; "; // the end of interpret's straight-line run (Interpreter.java.in)
    }

    static boolean isPcRelative(E e) { return e instanceof Bin b && b.op().equals("+") && b.l() instanceof Var v && v.name().equals("pc"); }

    /** Cases with the same body share one label list (fewer bytes in the hot method). */
    static String cases(Map<String, String> labelToBody, String indent) {
        Map<String, List<String>> byBody = new LinkedHashMap<>();
        labelToBody.forEach((label, body) -> byBody.computeIfAbsent(body, k -> new ArrayList<>()).add(label));
        StringBuilder b = new StringBuilder();
        byBody.forEach((body, labels) -> b.append(indent).append("case ").append(String.join(", ", labels)).append(" -> { ").append(body).append(" }\n"));
        return b.toString();
    }

    static String fill(String template) {
        Map<String, String> loop = new LinkedHashMap<>(), ops = new LinkedHashMap<>(), memory = new LinkedHashMap<>();
        for (Insn n : insns) {
            if (!n.instruction() || n.has("system")) continue;
            // F/D in fpOp: the hot execute keeps one short case for all of them (HotSpot's 8000-byte limit)
            // the length as the loop's local len (interpBody with len 0), so an op's 32-bit and compressed cases
            // have the same body and share it (cases): half the case bodies in the hot method, whose size made C2
            // stop inlining and spill (docs/speed.md, "The interpreter's operands as locals")
            String fp = "fpOp(w, pc); pc += len;";
            loop.put(n.name(), n.has("fp") ? fp : interpBody(n, 0, true));
            if (n.compressed()) loop.put("C + " + n.name(), n.has("fp") ? fp : interpBody(n, 0, true));
            if (n.has("fp")) ops.put(n.name(), interpBody(n, 4, false));
            // loads and stores again in memOp: a translated access that missed the fast entries is done there
            if (n.body().stream().anyMatch(s -> walk(s.e(), e -> e instanceof Call c && c.f().scope().equals("in")
                    && c.f().name().matches("(ld|st)(8|16|32|64)")))) memory.put(n.name(), interpBody(n, 4, false));
        }
        StringBuilder out = new StringBuilder("// Generated by src/build/InsnGen.java from src/main/insn/Interpreter.java.in and rv64gc.insn: do not edit.\n");
        for (String line : template.lines().toList()) {
            String t = line.strip(), indent = line.substring(0, line.length() - line.stripLeading().length());
            if (t.equals("//@insn:interpreter-cases")) out.append(cases(loop, indent));
            else if (t.equals("//@insn:fpop-cases")) out.append(cases(ops, indent));
            else if (t.equals("//@insn:memory-cases")) out.append(cases(memory, indent));
            else out.append(line).append('\n');
        }
        return out.toString();
    }

    // ---- op numbers and facts ----

    static final String HEAD = "// Generated by src/build/InsnGen.java from src/main/insn/rv64gc.insn: do not edit.\npackage io.drydock.riscv;\n\n";

    static String opNumbers() {
        StringBuilder b = new StringBuilder(HEAD);
        b.append("/** The op numbers of rv64gc.insn, in its order (inherited by {@link Op}, so {@code Op.*} names them). */\n");
        b.append("abstract class OpNumbers {\n    OpNumbers() {}\n\n");
        for (Insn n : insns) b.append("    static final int ").append(n.name()).append(" = ").append(n.number()).append(";\n");
        b.append("    static final int COUNT = ").append(insns.size()).append(";\n\n    static final String[] NAMES = {");
        b.append(String.join(", ", insns.stream().map(n -> '"' + n.name() + '"').toList())).append("};\n}\n");
        return b.toString();
    }

    static String insnInfo() {
        List<String> compressed = names(Insn::compressed);
        List<String> jumps = names(n -> n.body().stream().anyMatch(s -> s.kind().equals("goto") || s.kind().equals("if")));
        List<String> always = names(n -> n.body().stream().anyMatch(s -> s.kind().equals("goto")));
        List<String> pcRelative = names(n -> n.body().stream().anyMatch(s -> (s.kind().equals("goto") || s.kind().equals("if")) && isPcRelative(s.e())));
        List<String> translatable = new ArrayList<>(), traps = new ArrayList<>(), r1 = new ArrayList<>(), r2 = new ArrayList<>(),
                r12 = new ArrayList<>(), writes = new ArrayList<>();
        for (Insn n : insns) {
            if (interpOnly(n)) continue;
            if (!n.has("csr")) translatable.add(n.name());
            if (traps(n)) traps.add(n.name());
            boolean a = reads(n, "rs1"), c = reads(n, "rs2");
            (a && c ? r12 : a ? r1 : c ? r2 : new ArrayList<String>()).add(n.name());
            if (n.body().stream().anyMatch(s -> s.kind().equals("rd"))) writes.add(n.name());
        }
        return HEAD + "import static io.drydock.riscv.Op.*;\n\n"
                + "/** What the translator and the region former need to know of an op, from rv64gc.insn. */\nfinal class Insns {\n    private Insns() {}\n\n"
                + predicate("The translator emits it (not system, not interpreter-only, not a trap by itself).", "translatable", translatable)
                + predicate("A Zicsr access (the flag csr): the translator takes it where Csrs.quiet(w) holds.", "csr", names(n -> n.has("csr")))
                + predicate("It may throw a Trap in translated code (a memory access, an atomic or F/D), so it gets its own trap handler.", "canTrap", traps)
                + predicate("The interpreter has a C + op case (the table's flag c); other compressed ops reach its default case.", "compressedCase", compressed)
                + predicate("It jumps or branches (a goto in the table): a basic block ends after it.", "jumps", jumps)
                + predicate("It always jumps (an unconditional goto): control never falls through to the next instruction.", "alwaysJumps", always)
                + predicate("Its target is pc + imm (jal, the branches): a region may make it an internal jump.", "pcRelativeJump", pcRelative)
                + "    /** Integer registers a translatable op reads (bit r; an F/D op's integer operand too). */\n"
                + "    static int reads(long w) {\n        return switch (op(w)) {\n"
                + "            case " + String.join(", ", r12) + " -> 1 << rs1(w) | 1 << rs2(w);\n"
                + "            case " + String.join(", ", r1) + " -> 1 << rs1(w);\n"
                + "            case " + String.join(", ", r2) + " -> 1 << rs2(w);\n"
                + "            default -> 0;\n        };\n    }\n\n"
                + "    /** Integer registers a translatable op writes (bit r; the x0 sink 32 is none). */\n"
                + "    static int writes(long w) {\n        return switch (op(w)) {\n"
                + "            case " + String.join(", ", writes) + " -> rd(w) == 32 ? 0 : 1 << rd(w);\n"
                + "            default -> 0;\n        };\n    }\n}\n";
    }

    static List<String> names(java.util.function.Predicate<Insn> p) { return insns.stream().filter(p).map(Insn::name).toList(); }

    static String predicate(String doc, String name, List<String> ops) {
        return "    /** " + doc + " */\n    static boolean " + name + "(int op) {\n        return switch (op) {\n            case "
                + String.join(", ", ops) + " -> true;\n            default -> false;\n        };\n    }\n\n";
    }

    // ---- the disassembler ----

    static String text() {
        Map<String, String> cases = new LinkedHashMap<>();
        String illegal = null;
        for (Insn n : insns) {
            if (!n.instruction()) continue;
            if (n.text().isEmpty()) throw new IllegalArgumentException(n.name() + ": no disassembly");
            StringBuilder b = new StringBuilder();
            for (String[] alt : n.text()) {
                if (alt[1] != null) b.append(alt[1]).append(" ? ");
                b.append(textOf(alt[0]));
                if (alt[1] != null) b.append(" : ");
            }
            if (n.name().equals("ILLEGAL")) illegal = b.toString();
            else cases.put(n.name(), b.toString());
        }
        StringBuilder b = new StringBuilder(HEAD);
        b.append("import static io.drydock.riscv.Disassembler.*;\nimport static io.drydock.riscv.Op.*;\n\n");
        b.append("/** The disassembler's text per op, from rv64gc.insn (anything else prints as ILLEGAL does). */\nfinal class InsnText {\n    private InsnText() {}\n\n");
        b.append("    static String text(long pc, long w, int raw) {\n        int rd = rd(w), rs1 = rs1(w), rs2 = rs2(w), imm = imm(w);\n        return switch (op(w)) {\n");
        Map<String, List<String>> byBody = new LinkedHashMap<>();
        cases.forEach((label, body) -> byBody.computeIfAbsent(body, k -> new ArrayList<>()).add(label));
        byBody.forEach((body, labels) -> b.append("            case ").append(String.join(", ", labels)).append(" -> ").append(body).append(";\n"));
        b.append("            default -> ").append(illegal).append(";\n        };\n    }\n}\n");
        return b.toString();
    }

    static final Map<String, String> FIELDS = Map.ofEntries(Map.entry("rd", "X[rd]"), Map.entry("rs1", "X[rs1]"), Map.entry("rs2", "X[rs2]"),
            Map.entry("frd", "F[rd & 31]"), Map.entry("frs2", "F[rs2]"), Map.entry("imm", "imm"),
            Map.entry("hi20", "\"0x\" + Integer.toHexString(imm >>> 12)"), Map.entry("target", "hex(pc + imm)"),
            Map.entry("csr", "Csr.name(imm & 0xfff)"), Map.entry("zimm", "rs1"), Map.entry("amo", "AMO[imm]"),
            Map.entry("frs1", "F[rs1]"), Map.entry("frs3", "F[imm >>> 27]"), Map.entry("rm", "rmText(imm)"), Map.entry("iw", "IW[rs2 & 3]"),
            Map.entry("raw", "\"0x\" + Integer.toHexString(raw)"));

    /** "lui {rd}, {hi20}" → "lui " + X[rd] + ", " + ... */
    static String textOf(String pattern) {
        List<String> parts = new ArrayList<>();
        int i = 0;
        while (i < pattern.length()) {
            int open = pattern.indexOf('{', i);
            if (open < 0) { parts.add(quote(pattern.substring(i))); break; }
            if (open > i) parts.add(quote(pattern.substring(i, open)));
            int close = pattern.indexOf('}', open);
            String f = FIELDS.get(pattern.substring(open + 1, close));
            if (f == null) throw new IllegalArgumentException("unknown field in " + pattern);
            parts.add(f);
            i = close + 1;
        }
        if (parts.size() == 1 && !parts.getFirst().startsWith("\"")) parts.addFirst("\"\"");
        return String.join(" + ", parts);
    }

    static String quote(String s) { return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"'; }
}
