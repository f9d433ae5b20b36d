package io.drydock.kernel.fdt;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

class FdtBuilderTest {
    /** An independent reader of the blob format (DT spec v0.4 ch. 5), written from the spec, not from the builder. */
    record ParsedNode(String name, Map<String, byte[]> props, List<ParsedNode> children) {
        ParsedNode child(String n) { return children.stream().filter(c -> c.name.equals(n)).findFirst().orElseThrow(); }
        String string(String p) { byte[] v = props.get(p); return new String(v, 0, v.length - 1, StandardCharsets.UTF_8); }
        int cell(String p, int i) { return ByteBuffer.wrap(props.get(p)).getInt(4 * i); }
    }

    record Parsed(ParsedNode root, List<long[]> reservations, int bootCpu, int version) {}

    static Parsed parse(byte[] blob) {
        ByteBuffer b = ByteBuffer.wrap(blob);
        assertEquals(0xd00dfeed, b.getInt(0));
        assertEquals(blob.length, b.getInt(4), "totalsize");
        int offStruct = b.getInt(8), offStrings = b.getInt(12), offRsv = b.getInt(16);
        int version = b.getInt(20);
        assertEquals(16, b.getInt(24), "last_comp_version");
        int sizeStrings = b.getInt(32), sizeStruct = b.getInt(36);
        assertTrue(offStrings + sizeStrings <= blob.length);
        assertEquals(0, offRsv % 8, "reservation block is 8-aligned");
        List<long[]> rsv = new ArrayList<>();
        for (int o = offRsv; ; o += 16) {
            long addr = b.getLong(o), size = b.getLong(o + 8);
            if (addr == 0 && size == 0) break;
            rsv.add(new long[]{addr, size});
        }
        int[] pos = {offStruct};
        ParsedNode root = readNode(b, blob, pos, offStrings);
        assertEquals(9, b.getInt(pos[0]), "FDT_END");
        assertEquals(offStruct + sizeStruct, pos[0] + 4, "size_dt_struct");
        return new Parsed(root, rsv, b.getInt(28), version);
    }

    private static ParsedNode readNode(ByteBuffer b, byte[] blob, int[] pos, int offStrings) {
        assertEquals(1, b.getInt(pos[0]), "FDT_BEGIN_NODE at " + pos[0]);
        int p = pos[0] + 4, end = p;
        while (blob[end] != 0) end++;
        String name = new String(blob, p, end - p, StandardCharsets.UTF_8);
        p = (end + 1 + 3) & ~3;
        Map<String, byte[]> props = new LinkedHashMap<>();
        List<ParsedNode> children = new ArrayList<>();
        while (true) {
            int token = b.getInt(p);
            if (token == 3) {
                int len = b.getInt(p + 4), nameOff = b.getInt(p + 8);
                int s = offStrings + nameOff, e = s;
                while (blob[e] != 0) e++;
                byte[] value = new byte[len];
                System.arraycopy(blob, p + 12, value, 0, len);
                props.put(new String(blob, s, e - s, StandardCharsets.UTF_8), value);
                p = (p + 12 + len + 3) & ~3;
            } else if (token == 1) {
                pos[0] = p;
                children.add(readNode(b, blob, pos, offStrings));
                p = pos[0];
            } else if (token == 2) {
                pos[0] = p + 4;
                return new ParsedNode(name, props, children);
            } else if (token == 4) {
                p += 4; // FDT_NOP
            } else {
                fail("unexpected token " + token + " at " + p);
            }
        }
    }

    private static FdtBuilder sample() {
        FdtBuilder fdt = new FdtBuilder().bootCpu(0).reserve(0x8000_0000L, 0x20_0000);
        var root = fdt.root().prop("#address-cells", 2).prop("#size-cells", 2).prop("compatible", "riscv-virtio")
                .prop("model", "riscv-virtio,qemu");
        root.child("chosen").prop("bootargs", "console=ttyS0 rootfs=virtiofs").prop("stdout-path", "/soc/serial@10000000");
        root.child("memory@80000000").prop("device_type", "memory").propLongs("reg", 0x8000_0000L, 0x1000_0000L);
        var intc = root.child("cpus").prop("timebase-frequency", 10_000_000).child("cpu@0")
                .prop("riscv,isa", "rv64imafdc").child("interrupt-controller").flag("interrupt-controller")
                .prop("#interrupt-cells", 1).prop("compatible", "riscv,cpu-intc");
        int ph = intc.phandle();
        root.child("soc").child("plic@c000000").prop("compatible", "sifive,plic-1.0.0", "riscv,plic0")
                .prop("interrupts-extended", ph, 11, ph, 9);
        return fdt;
    }

    @Test
    void blobParsesBackWithAnIndependentReader() {
        Parsed p = parse(sample().build());
        assertEquals(17, p.version());
        assertEquals(0, p.bootCpu());
        assertEquals(1, p.reservations().size());
        assertEquals(0x8000_0000L, p.reservations().getFirst()[0]);
        ParsedNode root = p.root();
        assertEquals("", root.name());
        assertEquals(2, root.cell("#address-cells", 0));
        assertEquals("console=ttyS0 rootfs=virtiofs", root.child("chosen").string("bootargs"));
        ParsedNode mem = root.child("memory@80000000");
        assertArrayEquals(new byte[]{0, 0, 0, 0, (byte) 0x80, 0, 0, 0, 0, 0, 0, 0, 0x10, 0, 0, 0}, mem.props().get("reg"));
        ParsedNode intc = root.child("cpus").child("cpu@0").child("interrupt-controller");
        assertEquals(0, intc.props().get("interrupt-controller").length);
        int phandle = intc.cell("phandle", 0);
        assertEquals(1, phandle);
        ParsedNode plic = root.child("soc").child("plic@c000000");
        assertEquals("sifive,plic-1.0.0\0riscv,plic0", plic.string("compatible"));
        assertEquals(phandle, plic.cell("interrupts-extended", 0));
        assertEquals(9, plic.cell("interrupts-extended", 3));
    }

    @Test
    void propertyNamesAreStoredOnce() {
        byte[] blob = sample().build();
        ByteBuffer b = ByteBuffer.wrap(blob);
        String strings = new String(blob, b.getInt(12), b.getInt(32), StandardCharsets.UTF_8);
        assertEquals(strings.indexOf("compatible"), strings.lastIndexOf("compatible"));
    }

    @Test
    void findAndNodeNamesAreChecked() {
        FdtBuilder fdt = sample();
        assertNotNull(fdt.find("/soc/plic@c000000"));
        assertNull(fdt.find("/soc/uart"));
        assertThrows(IllegalArgumentException.class, () -> fdt.root().child("a/b"));
    }

    @Test
    void dtcAgreesWhenInstalled(@TempDir Path dir) throws Exception {
        Path dtc = Path.of("/usr/bin/dtc");
        Assumptions.assumeTrue(Files.isExecutable(dtc), "dtc (Debian device-tree-compiler) is not installed; CI installs it");
        Path blob = dir.resolve("x.dtb");
        Files.write(blob, sample().build());
        Process p = new ProcessBuilder(dtc.toString(), "-I", "dtb", "-O", "dts", blob.toString()).redirectErrorStream(true).start();
        String dts = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), dts);
        assertTrue(dts.contains("bootargs = \"console=ttyS0 rootfs=virtiofs\";"), dts);
        assertTrue(dts.contains("reg = <0x00 0x80000000 0x00 0x10000000>;"), dts);
        // dtc prints string lists either as "a", "b" or (1.6+) as "a\0b"
        assertTrue(dts.contains("compatible = \"sifive,plic-1.0.0\", \"riscv,plic0\";")
                || dts.contains("compatible = \"sifive,plic-1.0.0\\0riscv,plic0\";"), dts);
        assertTrue(dts.contains("/memreserve/"), dts);
    }

    @Test
    void parseReadsABuiltBlobBackAndAmendsIt() {
        FdtBuilder fdt = new FdtBuilder().reserve(0x80000000L, 0x1000).bootCpu(1);
        FdtBuilder.Node root = fdt.root();
        root.prop("#address-cells", 2).prop("compatible", "riscv-virtio");
        int ph = root.child("soc").child("plic@c000000").flag("interrupt-controller").phandle();
        root.child("chosen").prop("stdout-path", "/soc/serial@10000000");
        FdtBuilder back = FdtBuilder.parse(fdt.build());
        assertArrayEquals(fdt.build(), back.build(), "a parsed blob builds to the same bytes");
        back.find("/chosen").prop("bootargs", "console=ttyS0").prop("linux,initrd-start", 0x84200000);
        int next = back.root().child("new").phandle();
        assertEquals(ph + 1, next, "new phandles continue after the parsed ones");
        Parsed p = parse(back.build());
        assertEquals("console=ttyS0", p.root().child("chosen").string("bootargs"));
        assertEquals("/soc/serial@10000000", p.root().child("chosen").string("stdout-path"));
        assertEquals(0x84200000, p.root().child("chosen").cell("linux,initrd-start", 0));
        assertEquals(1, p.bootCpu());
        assertEquals(1, p.reservations().size());
    }

    @Test
    void parseRejectsBrokenBlobsWithAReason() {
        assertThrows(IllegalArgumentException.class, () -> FdtBuilder.parse(new byte[8]));
        FdtBuilder one = new FdtBuilder();
        one.root().prop("a", 1);
        byte[] blob = one.build();
        byte[] cut = java.util.Arrays.copyOf(blob, blob.length - 12);
        assertThrows(IllegalArgumentException.class, () -> FdtBuilder.parse(cut));
        byte[] badToken = blob.clone();
        ByteBuffer.wrap(badToken).putInt(ByteBuffer.wrap(blob).getInt(8), 0x77); // first structure token
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FdtBuilder.parse(badToken));
        assertTrue(e.getMessage().contains("unknown token 0x77"), e.getMessage());
    }

    @Test
    void parseReadsWhatDtcWrites(@TempDir Path dir) throws Exception {
        Path dtc = Path.of("/usr/bin/dtc");
        Assumptions.assumeTrue(Files.isExecutable(dtc), "dtc (Debian device-tree-compiler) is not installed; CI installs it");
        Path dts = dir.resolve("t.dts"), dtb = dir.resolve("t.dtb");
        Files.writeString(dts, "/dts-v1/;\n/memreserve/ 0x80000000 0x10000;\n/ { model = \"x\"; #address-cells = <2>;\n"
                + "  intc: ic { interrupt-controller; phandle = <7>; };\n  chosen { bootargs = \"quiet\"; };\n};\n");
        Process p = new ProcessBuilder(dtc.toString(), "-I", "dts", "-O", "dtb", "-o", dtb.toString(), dts.toString())
                .redirectErrorStream(true).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), new String(p.getInputStream().readAllBytes()));
        FdtBuilder fdt = FdtBuilder.parse(Files.readAllBytes(dtb));
        assertArrayEquals("quiet\0".getBytes(StandardCharsets.UTF_8), fdt.find("/chosen").property("bootargs"));
        assertEquals(8, fdt.root().child("x").phandle());
        Parsed back = parse(fdt.build());
        assertEquals("x", back.root().string("model"));
        assertEquals(0x80000000L, back.reservations().getFirst()[0]);
    }
}
