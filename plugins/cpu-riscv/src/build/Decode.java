import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The decoder's side of {@link InsnGen}: InsnDecoder.decode32 and decode16 from the encodings of rv64gc.insn.
 * Per major opcode (32-bit) or quadrant and funct3 (16-bit), the encodings are tried most specific first (an
 * encoding whose fixed bits include another's, such as li's in addi's, comes first); two encodings that can
 * match one word otherwise stop the build. Each operand format says how rd, rs1, rs2 and imm come out of the
 * word (integer rd 0 becomes the sink 32) and, for some compressed ones, when the word is reserved instead.
 */
final class Decode {
    private Decode() {}

    /** 32-bit formats (unpriv 20191213 §2.3, §2.4): the arguments of pack after the op. */
    static final Map<String, String> FORMATS = Map.ofEntries(
            Map.entry("R", "xd(rd), rs1, rs2, 0"), Map.entry("I", "xd(rd), rs1, 0, i >> 20"),
            Map.entry("S", "0, rs1, rs2, ((i >> 25) << 5) | ((i >> 7) & 31)"),
            Map.entry("B", "0, rs1, rs2, ((i >> 31) << 12) | (((i >> 7) & 1) << 11) | (((i >> 25) & 0x3f) << 5) | (((i >> 8) & 0xf) << 1)"),
            Map.entry("U", "xd(rd), 0, 0, i & 0xfffff000"),
            Map.entry("J", "xd(rd), 0, 0, ((i >> 31) << 20) | (((i >> 12) & 0xff) << 12) | (((i >> 20) & 1) << 11) | (((i >> 21) & 0x3ff) << 1)"),
            Map.entry("SH", "xd(rd), rs1, 0, (i >> 20) & 63"), Map.entry("N", "32, 0, 0, 0"), Map.entry("RS", "32, rs1, rs2, 0"),
            Map.entry("CSR", "xd(rd), rs1, 0, (i >>> 20) & 0xfff"), Map.entry("A", "xd(rd), rs1, rs2, i >>> 27"),
            Map.entry("FI", "rd, rs1, 0, i >> 20"),
            Map.entry("FR", "rd, rs1, rs2, i"), Map.entry("FX", "xd(rd), rs1, rs2, i"));

    /**
     * 16-bit formats (RVC, unpriv 20191213 §16.2–16.8): {reserved-when condition or null, pack arguments}. The
     * immediates are the helpers InsnDecoder gets from {@link #HELPERS}; rdp/rs1p are the 3-bit x8–x15 fields.
     */
    static final Map<String, String[]> FORMATS16 = Map.ofEntries(
            Map.entry("CIW", new String[] {"addi4spn(i) == 0", "rdp, 2, 0, addi4spn(i)"}), // nzuimm = 0 is reserved
            Map.entry("CLW", new String[] {null, "rdp, rs1p, 0, lwOff(i)"}), Map.entry("CLD", new String[] {null, "rdp, rs1p, 0, ldOff(i)"}),
            Map.entry("CSW", new String[] {null, "0, rs1p, rdp, lwOff(i)"}), Map.entry("CSD", new String[] {null, "0, rs1p, rdp, ldOff(i)"}),
            Map.entry("CI", new String[] {null, "xd(rd), rd, 0, imm6"}), // c.nop and the c.addi hints keep x0 unchanged
            Map.entry("CADDIW", new String[] {"rd == 0", "rd, rd, 0, imm6"}),
            Map.entry("CLI", new String[] {null, "xd(rd), 0, 0, imm6"}),
            Map.entry("C16SP", new String[] {"addi16sp(i) == 0", "2, 2, 0, addi16sp(i)"}),
            Map.entry("CLUI", new String[] {"imm6 == 0", "xd(rd), 0, 0, imm6 << 12"}),
            Map.entry("CSH", new String[] {null, "rs1p, rs1p, 0, shamt"}), Map.entry("CANDI", new String[] {null, "rs1p, rs1p, 0, imm6"}),
            Map.entry("CA", new String[] {null, "rs1p, rs1p, rdp, 0"}),
            Map.entry("CJ", new String[] {null, "32, 0, 0, jOff(i)"}), Map.entry("CB", new String[] {null, "0, rs1p, 0, bOff(i)"}),
            Map.entry("CSLLI", new String[] {null, "xd(rd), rd, 0, shamt"}),
            Map.entry("CLWSP", new String[] {"rd == 0", "rd, 2, 0, lwspOff(i)"}), Map.entry("CLDSP", new String[] {"rd == 0", "rd, 2, 0, ldspOff(i)"}),
            Map.entry("CFLDSP", new String[] {null, "rd, 2, 0, ldspOff(i)"}),
            Map.entry("CJR", new String[] {"rd == 0", "32, rd, 0, 0"}), Map.entry("CJALR", new String[] {null, "1, rd, 0, 0"}),
            Map.entry("CMV", new String[] {null, "xd(rd), 0, rs2, 0"}), Map.entry("CADD", new String[] {null, "xd(rd), rd, rs2, 0"}),
            Map.entry("CN", new String[] {null, "32, 0, 0, 0"}),
            Map.entry("CSWSP", new String[] {null, "0, 2, rs2, swspOff(i)"}), Map.entry("CSDSP", new String[] {null, "0, 2, rs2, sdspOff(i)"}));

    /** The RVC immediates, scattered over the half-word as the spec's format figures show. */
    static final String HELPERS = """
                private static int addi4spn(int i) { return (((i >> 7) & 0xf) << 6) | (((i >> 11) & 3) << 4) | (((i >> 5) & 1) << 3) | (((i >> 6) & 1) << 2); }
                private static int addi16sp(int i) {
                    return (((i >> 12) & 1) != 0 ? -512 : 0) | (((i >> 3) & 3) << 7) | (((i >> 5) & 1) << 6) | (((i >> 2) & 1) << 5) | (((i >> 6) & 1) << 4);
                }
                private static int lwOff(int i) { return (((i >> 10) & 7) << 3) | (((i >> 6) & 1) << 2) | (((i >> 5) & 1) << 6); }
                private static int ldOff(int i) { return (((i >> 10) & 7) << 3) | (((i >> 5) & 3) << 6); }
                private static int lwspOff(int i) { return (((i >> 12) & 1) << 5) | (((i >> 4) & 7) << 2) | (((i >> 2) & 3) << 6); }
                private static int ldspOff(int i) { return (((i >> 12) & 1) << 5) | (((i >> 5) & 3) << 3) | (((i >> 2) & 7) << 6); }
                private static int swspOff(int i) { return (((i >> 9) & 0xf) << 2) | (((i >> 7) & 3) << 6); }
                private static int sdspOff(int i) { return (((i >> 10) & 7) << 3) | (((i >> 7) & 7) << 6); }
                private static int jOff(int i) {
                    return (((i >> 12) & 1) != 0 ? -2048 : 0) | (((i >> 8) & 1) << 10) | (((i >> 9) & 3) << 8) | (((i >> 6) & 1) << 7)
                            | (((i >> 7) & 1) << 6) | (((i >> 2) & 1) << 5) | (((i >> 11) & 1) << 4) | (((i >> 3) & 7) << 1);
                }
                private static int bOff(int i) {
                    return (((i >> 12) & 1) != 0 ? -256 : 0) | (((i >> 5) & 3) << 6) | (((i >> 2) & 1) << 5) | (((i >> 10) & 3) << 3) | (((i >> 3) & 3) << 1);
                }
            """;

    static String decoder() {
        StringBuilder b = new StringBuilder(InsnGen.HEAD);
        b.append("import static io.drydock.riscv.Decoder.ill;\nimport static io.drydock.riscv.Decoder.xd;\nimport static io.drydock.riscv.Op.*;\n\n");
        b.append("/** Decoder.decode32 and decode16 from the encodings of rv64gc.insn. */\nfinal class InsnDecoder {\n    private InsnDecoder() {}\n\n");
        b.append("    static long decode32(int i) {\n        int rd = (i >> 7) & 31, rs1 = (i >> 15) & 31, rs2 = (i >> 20) & 31;\n        switch (i & 0x7f) {\n");
        cases(b, false);
        b.append("    /** A 16-bit instruction: its expansion (the all-zero half-word is reserved by CIW's nzuimm = 0). */\n");
        b.append("    static long decode16(int i) {\n        i &= 0xffff;\n        int rd = (i >> 7) & 31, rs2 = (i >> 2) & 31, rdp = 8 + ((i >> 2) & 7), rs1p = 8 + ((i >> 7) & 7);\n");
        b.append("        int imm6 = (((i >> 12) & 1) != 0 ? -32 : 0) | ((i >> 2) & 31), shamt = (((i >> 12) & 1) << 5) | ((i >> 2) & 31);\n");
        b.append("        switch (i & 0xe003) {\n");
        cases(b, true);
        b.append(HELPERS).append("}\n");
        return b.toString();
    }

    private static void cases(StringBuilder b, boolean compressed) {
        Map<Integer, List<Object[]>> byKey = new TreeMap<>();
        for (InsnGen.Insn n : InsnGen.insns) for (InsnGen.Enc e : n.encodings()) {
            if (e.compressed() != compressed) continue;
            if (!(compressed ? FORMATS16 : FORMATS).containsKey(e.format())) throw new IllegalArgumentException(n.name() + ": no format " + e.format());
            byKey.computeIfAbsent(e.match() & (compressed ? 0xe003 : 0x7f), k -> new ArrayList<>()).add(new Object[] {n, e});
        }
        String c = String.valueOf(compressed);
        byKey.forEach((key, list) -> {
            list.sort((x, y) -> Integer.bitCount(((InsnGen.Enc) y[1]).mask()) - Integer.bitCount(((InsnGen.Enc) x[1]).mask()));
            for (int a = 0; a < list.size(); a++) for (int k = a + 1; k < list.size(); k++) {
                InsnGen.Enc p = (InsnGen.Enc) list.get(a)[1], q = (InsnGen.Enc) list.get(k)[1];
                int both = p.mask() & q.mask();
                boolean overlap = (p.match() & both) == (q.match() & both);
                if (overlap && (both != q.mask() || p.mask() == q.mask()))
                    throw new IllegalArgumentException("ambiguous encodings: " + ((InsnGen.Insn) list.get(a)[0]).name() + " and " + ((InsnGen.Insn) list.get(k)[0]).name());
            }
            b.append("            case 0x").append(Integer.toHexString(key)).append(" -> {\n");
            for (Object[] ne : list) {
                InsnGen.Insn n = (InsnGen.Insn) ne[0];
                InsnGen.Enc e = (InsnGen.Enc) ne[1];
                String[] f = compressed ? FORMATS16.get(e.format()) : new String[] {null, FORMATS.get(e.format())};
                String packed = "pack(" + n.name() + ", " + f[1] + ", " + c + ")";
                b.append("                if ((i & 0x").append(Integer.toHexString(e.mask())).append(") == 0x").append(Integer.toHexString(e.match())).append(") return ")
                        .append(f[0] == null ? packed : f[0] + " ? ill(i, " + c + ") : " + packed).append(";\n");
            }
            b.append("                return ill(i, ").append(c).append(");\n            }\n");
        });
        b.append("            default -> { return ill(i, ").append(c).append("); }\n        }\n    }\n\n");
    }
}
