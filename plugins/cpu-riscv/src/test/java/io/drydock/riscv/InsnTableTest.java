package io.drydock.riscv;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static io.drydock.riscv.Op.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The generated tables against src/main/insn/rv64gc.insn itself (README, "One source of instruction semantics"):
 * the op numbers are the file's order, its system and pseudo ops are never translated, every op the Decoder
 * produces has a disassembly, and every compressed op it produces has its own interpreter case or is one the
 * interpreter's default case runs (a system op).
 */
class InsnTableTest {
    /** An instruction line of rv64gc.insn: its name and its flags (the words before ':', '@' or '%'). */
    record Row(String name, Set<String> flags) {}

    static final List<Row> TABLE = read(Path.of("src/main/insn/rv64gc.insn"));

    static List<Row> read(Path file) {
        List<Row> rows = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(file)) {
                // an instruction starts at column 0 with its name; comments, extern declarations and
                // continuation lines (leading white space) are not instructions
                if (line.isEmpty() || !Character.isUpperCase(line.charAt(0))) continue;
                String head = line.split("[:@%]", 2)[0].strip();
                String[] words = head.split("\\s+");
                rows.add(new Row(words[0], Set.of(Arrays.copyOfRange(words, 1, words.length))));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return rows;
    }

    static Row row(int op) { return TABLE.get(op); }

    @Test
    void opsAreNumberedInTheOrderOfTheTable() {
        assertEquals(TABLE.stream().map(Row::name).toList(), List.of(NAMES));
    }

    @Test
    void systemAndPseudoOpsAreNeverTranslated() {
        int seen = 0;
        for (int op = 0; op < TABLE.size(); op++) {
            if (!row(op).flags().contains("system") && !row(op).flags().contains("pseudo")) continue;
            seen++;
            assertFalse(Insns.translatable(op), NAMES[op] + " is translated");
        }
        assertTrue(seen > 0, "rv64gc.insn has no system or pseudo op");
    }

    @Test
    void everyCompressedEncodingHasAnInterpreterCase() {
        for (int i = 0; i < 0x10000; i++) {
            if (!Decoder.isCompressed(i)) continue;
            int op = op(Decoder.decode16(i)), half = i;
            if (row(op).flags().contains("system")) continue;
            assertTrue(Insns.compressedCase(op), () -> String.format("c.%04x decodes to %s, which has no C + case", half, NAMES[op]));
        }
    }

    @Test
    void everyDecodedOpHasADisassembly() {
        Random r = new Random(16);
        for (int k = 0; k < 200_000; k++) {
            int bits = r.nextInt() | 3;
            long w = Decoder.decode32(bits);
            if (op(w) == ILLEGAL) continue;
            String text = Disassembler.text(0x8000_0000L, w, bits);
            assertFalse(text.startsWith(".insn"), () -> String.format("%08x decodes to %s but prints as %s", bits, NAMES[op(w)], text));
        }
        for (int i = 0; i < 0x10000; i++) {
            if (!Decoder.isCompressed(i) || op(Decoder.decode16(i)) == ILLEGAL) continue;
            long w = Decoder.decode16(i);
            String text = Disassembler.text(0x8000_0000L, w, i);
            int half = i;
            assertFalse(text.startsWith(".insn"), () -> String.format("c.%04x decodes to %s but prints as %s", half, NAMES[op(w)], text));
        }
    }
}
