package io.drydock.kernel.fdt;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a flattened device tree blob (Devicetree Specification v0.4, chapter 5: header, memory
 * reservation block, structure block, strings block; version 17, last compatible 16). Nodes and properties
 * keep the order they were added; property names are stored once in the strings block.
 *
 * <p>Not thread-safe: the board builds one at power-on.
 */
public final class FdtBuilder {
    static final int MAGIC = 0xd00dfeed;
    static final int FDT_BEGIN_NODE = 1, FDT_END_NODE = 2, FDT_PROP = 3, FDT_END = 9;
    private static final int HEADER_SIZE = 40;

    private final Node root = new Node(this, "");
    private final List<long[]> reservations = new ArrayList<>();
    private int nextPhandle = 1;
    private int bootCpu;

    public Node root() { return root; }

    /** Adds a memory reservation entry (§5.3). */
    public FdtBuilder reserve(long address, long size) {
        reservations.add(new long[]{address, size});
        return this;
    }

    /** The header's boot_cpuid_phys. */
    public FdtBuilder bootCpu(int hartId) {
        bootCpu = hartId;
        return this;
    }

    /** A node by absolute path ("/soc/plic@c000000"), or null. */
    public Node find(String path) {
        Node n = root;
        for (String part : path.split("/")) {
            if (part.isEmpty()) continue;
            n = n.children.get(part);
            if (n == null) return null;
        }
        return n;
    }

    /** A node of the tree: named properties and child nodes. */
    public static final class Node {
        private final FdtBuilder owner;
        private final String name;
        private final Map<String, byte[]> props = new LinkedHashMap<>();
        private final Map<String, Node> children = new LinkedHashMap<>();
        private int phandle;

        private Node(FdtBuilder owner, String name) {
            this.owner = owner;
            this.name = name;
        }

        public String name() { return name; }

        /** The child called {@code name} ("cpu@0"), created if absent. */
        public Node child(String name) {
            if (name.isEmpty() || name.contains("/")) throw new IllegalArgumentException("bad node name '" + name + "'");
            return children.computeIfAbsent(name, n -> new Node(owner, n));
        }

        /** A property of 32-bit big-endian cells (§2.2.4 {@code <u32>}). */
        public Node prop(String name, int... cells) {
            ByteBuffer b = ByteBuffer.allocate(cells.length * 4);
            for (int c : cells) b.putInt(c);
            return bytes(name, b.array());
        }

        /** A property of 64-bit values, each as two cells, high first ({@code reg = <0 0x80000000 ...>}). */
        public Node propLongs(String name, long... values) {
            ByteBuffer b = ByteBuffer.allocate(values.length * 8);
            for (long v : values) b.putLong(v);
            return bytes(name, b.array());
        }

        /** A string or string list, each NUL-terminated (§2.2.4 {@code <stringlist>}). */
        public Node prop(String name, String... strings) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (String s : strings) {
                out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
                out.write(0);
            }
            return bytes(name, out.toByteArray());
        }

        /** A property without a value ({@code interrupt-controller;}). */
        public Node flag(String name) { return bytes(name, new byte[0]); }

        public Node bytes(String name, byte[] value) {
            props.put(name, value.clone());
            return this;
        }

        public byte[] property(String name) {
            byte[] v = props.get(name);
            return v == null ? null : v.clone();
        }

        /** This node's phandle, allocating one (and its "phandle" property) on first use. */
        public int phandle() {
            if (phandle == 0) {
                phandle = owner.nextPhandle++;
                prop("phandle", phandle);
            }
            return phandle;
        }

        public Map<String, Node> children() { return java.util.Collections.unmodifiableMap(children); }
    }

    /**
     * Reads a blob back into a builder (Devicetree Specification v0.4 §5), so a user's tree ({@code --dtb})
     * can be amended before it is written to the guest: nodes and properties keep their order, memory
     * reservations are kept, new phandles continue after the highest one present.
     *
     * @throws IllegalArgumentException when the blob is not a valid flattened device tree (names the offset)
     */
    public static FdtBuilder parse(byte[] blob) {
        ByteBuffer b = ByteBuffer.wrap(blob); // big-endian, §5.2
        if (blob.length < HEADER_SIZE || b.getInt(0) != MAGIC) throw new IllegalArgumentException("not a device tree blob (bad magic)");
        int total = b.getInt(4), offStruct = b.getInt(8), offStrings = b.getInt(12), offRsv = b.getInt(16);
        int version = b.getInt(20), sizeStrings = b.getInt(32), sizeStruct = b.getInt(36);
        if (version < 16) throw new IllegalArgumentException("device tree version " + version + " is older than 16");
        if (total > blob.length || offStruct < HEADER_SIZE || offStrings < 0 || offRsv < HEADER_SIZE
                || (long) offStruct + sizeStruct > total || (long) offStrings + sizeStrings > total || sizeStruct < 0 || sizeStrings < 0) {
            throw new IllegalArgumentException("device tree header offsets lie outside the blob");
        }
        FdtBuilder fdt = new FdtBuilder();
        fdt.bootCpu = b.getInt(28);
        for (int at = offRsv; ; at += 16) {
            if (at + 16 > total) throw new IllegalArgumentException("memory reservation block runs past the blob");
            long address = b.getLong(at), size = b.getLong(at + 8);
            if (address == 0 && size == 0) break;
            fdt.reserve(address, size);
        }
        List<Node> stack = new ArrayList<>();
        int at = offStruct, end = offStruct + sizeStruct, maxPhandle = 0;
        while (true) {
            if (at + 4 > end) throw new IllegalArgumentException("structure block ends without FDT_END");
            int token = b.getInt(at);
            at += 4;
            switch (token) {
                case FDT_BEGIN_NODE -> {
                    int nul = at;
                    while (nul < end && blob[nul] != 0) nul++;
                    if (nul >= end) throw new IllegalArgumentException("node name at " + at + " is not terminated");
                    String name = new String(blob, at, nul - at, StandardCharsets.UTF_8);
                    at = align(nul + 1, 4);
                    if (stack.isEmpty()) {
                        if (!name.isEmpty()) throw new IllegalArgumentException("root node has a name '" + name + "'");
                        stack.add(fdt.root);
                    } else {
                        stack.add(stack.getLast().child(name));
                    }
                }
                case FDT_END_NODE -> {
                    if (stack.isEmpty()) throw new IllegalArgumentException("FDT_END_NODE without a node at " + (at - 4));
                    stack.removeLast();
                }
                case FDT_PROP -> {
                    if (stack.isEmpty() || at + 8 > end) throw new IllegalArgumentException("property outside a node at " + (at - 4));
                    int len = b.getInt(at), nameOff = b.getInt(at + 4);
                    at += 8;
                    if (len < 0 || at + len > end || nameOff < 0 || nameOff >= sizeStrings) {
                        throw new IllegalArgumentException("property at " + (at - 12) + " runs past the blob");
                    }
                    int s0 = offStrings + nameOff, nul = s0;
                    while (nul < offStrings + sizeStrings && blob[nul] != 0) nul++;
                    String name = new String(blob, s0, nul - s0, StandardCharsets.UTF_8);
                    byte[] value = java.util.Arrays.copyOfRange(blob, at, at + len);
                    stack.getLast().bytes(name, value);
                    if ((name.equals("phandle") || name.equals("linux,phandle")) && len == 4) {
                        int ph = ByteBuffer.wrap(value).getInt();
                        if (name.equals("phandle")) stack.getLast().phandle = ph;
                        maxPhandle = Math.max(maxPhandle, ph);
                    }
                    at = align(at + len, 4);
                }
                case 4 -> { } // FDT_NOP
                case FDT_END -> {
                    if (!stack.isEmpty()) throw new IllegalArgumentException("FDT_END inside node '" + stack.getLast().name + "'");
                    fdt.nextPhandle = maxPhandle + 1;
                    return fdt;
                }
                default -> throw new IllegalArgumentException("unknown token 0x" + Integer.toHexString(token) + " at " + (at - 4));
            }
        }
    }

    /** The blob. */
    public byte[] build() {
        ByteArrayOutputStream strings = new ByteArrayOutputStream();
        Map<String, Integer> stringOffsets = new LinkedHashMap<>();
        ByteArrayOutputStream struct = new ByteArrayOutputStream();
        writeNode(root, struct, strings, stringOffsets);
        writeInt(struct, FDT_END);

        int rsvSize = (reservations.size() + 1) * 16;
        int offRsv = HEADER_SIZE;
        int offStruct = offRsv + rsvSize;
        int offStrings = offStruct + struct.size();
        int total = offStrings + strings.size();
        ByteBuffer b = ByteBuffer.allocate(align(total, 8));
        b.putInt(MAGIC).putInt(align(total, 8)).putInt(offStruct).putInt(offStrings).putInt(offRsv)
                .putInt(17).putInt(16).putInt(bootCpu).putInt(strings.size()).putInt(struct.size());
        for (long[] r : reservations) b.putLong(r[0]).putLong(r[1]);
        b.putLong(0).putLong(0);
        b.put(struct.toByteArray());
        b.put(strings.toByteArray());
        return b.array();
    }

    private static void writeNode(Node n, ByteArrayOutputStream out, ByteArrayOutputStream strings, Map<String, Integer> offsets) {
        writeInt(out, FDT_BEGIN_NODE);
        byte[] name = n.name.getBytes(StandardCharsets.UTF_8);
        out.writeBytes(name);
        out.write(0);
        pad(out);
        for (Map.Entry<String, byte[]> p : n.props.entrySet()) {
            int off = offsets.computeIfAbsent(p.getKey(), k -> {
                int o = strings.size();
                strings.writeBytes(k.getBytes(StandardCharsets.UTF_8));
                strings.write(0);
                return o;
            });
            writeInt(out, FDT_PROP);
            writeInt(out, p.getValue().length);
            writeInt(out, off);
            out.writeBytes(p.getValue());
            pad(out);
        }
        for (Node c : n.children.values()) writeNode(c, out, strings, offsets);
        writeInt(out, FDT_END_NODE);
    }

    private static void writeInt(ByteArrayOutputStream out, int v) {
        out.write(v >>> 24);
        out.write(v >>> 16);
        out.write(v >>> 8);
        out.write(v);
    }

    private static void pad(ByteArrayOutputStream out) {
        while (out.size() % 4 != 0) out.write(0);
    }

    private static int align(int v, int a) { return (v + a - 1) & -a; }
}
