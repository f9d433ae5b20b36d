package io.drydock.virtiofs.passthrough;

import io.drydock.kernel.sys.Sys;
import io.drydock.virtiofs.fuse.abi.FuseHeaders;
import io.drydock.virtiofs.fuse.abi.FuseOpcode;
import io.drydock.virtiofs.fuse.abi.Le;
import io.drydock.virtiofs.fuse.server.FuseOutcome;
import io.drydock.virtiofs.fuse.server.FuseServer;
import io.drydock.virtiofs.fuse.transport.SegmentSink;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue #11 item 6: the server fuzzed over every opcode's body. Each try is a sequence of requests built from
 * jqwik generators: an opcode (all of them but INIT/DESTROY, which {@link DecoderProperties} covers), a nodeid
 * from the live ones and some that are not, a caller (root, a user, nobody), a body assembled from 8-byte
 * words that matter to the decoders (live file handles, sizes around max_write, offsets near 2^63, -1, the
 * S_IF* types, open and rename flags) and the names that matter (existing entries, a FIFO, a symlink out,
 * "..", "a/b", 255 and 256 bytes), and a reply buffer of any size. Every reply must be well-formed and the
 * directory outside the share must never change. Not coverage-guided (Jazzer 0.24.0 resolves from Maven
 * Central but its JUnit engine did not start under this surefire/JDK 25); jqwik's edge cases and the
 * structured words stand in for that.
 *
 * <p>Budget: jqwik's {@code jqwik.tries.default} (1000 sequences in CI). By hand:
 * {@code mvn -o -pl plugin-virtiofs test -Dtest=OpcodeFuzzProperties -Djqwik.tries.default=200000}.
 */
class OpcodeFuzzProperties {
    static Path tmp, share, outside;
    static PassthroughFixture fixture;
    static String outsideBefore;
    static final List<Long> FHS = new ArrayList<>();
    static final long[] NODES = new long[6];

    @BeforeContainer
    static void start() throws IOException {
        tmp = Files.createTempDirectory("fuse-fuzz");
        share = Files.createDirectory(tmp.resolve("share"));
        outside = Files.createDirectory(tmp.resolve("outside"));
        Files.writeString(outside.resolve("secret"), "host secret");
        Files.writeString(share.resolve("file"), "0123456789".repeat(100));
        Files.createDirectory(share.resolve("dir"));
        Files.createSymbolicLink(share.resolve("up"), Path.of("../outside"));
        Files.createSymbolicLink(share.resolve("secretlink"), outside.resolve("secret"));
        Sys.mknodat(Sys.AT_FDCWD, share.resolve("fifo").toString().getBytes(), Sys.S_IFIFO | 0666, 0);
        fixture = new PassthroughFixture(share, PassthroughOptions.defaults().withXattr(true).withMaxHandles(256));
        outsideBefore = DecoderProperties.snapshot(outside);
        populate();
    }

    static void populate() {
        FHS.clear();
        NODES[0] = 1;
        String[] names = {"file", "dir", "up", "secretlink", "fifo"};
        for (int i = 0; i < names.length; i++) NODES[i + 1] = fixture.client.lookup(1, names[i]).nodeid();
        FHS.add(fixture.client.open(NODES[1], Sys.O_RDWR));
        FHS.add(fixture.client.open(NODES[1], Sys.O_RDONLY));
    }

    @AfterContainer
    static void stop() throws IOException {
        fixture.close();
        assertEquals(outsideBefore, DecoderProperties.snapshot(outside), "nothing outside the share changed");
        try (Stream<Path> s = Files.walk(tmp)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    record Req(int opcode, long nodeid, int caller, byte[] body, int replyCapacity) {
        @Override public String toString() {
            FuseOpcode op = FuseOpcode.of(opcode);
            return (op == null ? "op" + opcode : op.name()) + " node " + nodeid + " uid " + caller + " body " + body.length
                    + "B reply " + replyCapacity + "B " + Arrays.toString(Arrays.copyOf(body, Math.min(body.length, 48)));
        }
    }

    @Property
    void everyOpcodeWithStructuredBodiesChangesNothingOutside(@ForAll("sequences") List<Req> sequence) throws IOException {
        FuseServer server = fixture.client.server();
        if (server.session() == null) {
            fixture.client.init();
            populate();
        }
        for (Req r : sequence) send(server, r);
        assertEquals("host secret", Files.readString(outside.resolve("secret")));
        assertEquals(0, fixture.client.getattr_error(1), "the share's root still answers");
        assertTrue(Files.isDirectory(share), "the share is still there");
    }

    static void send(FuseServer server, Req r) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment in = a.allocate(FuseHeaders.InHeader.SIZE + r.body().length);
            new FuseHeaders.InHeader((int) in.byteSize(), r.opcode(), 77, r.nodeid(), r.caller(), r.caller(), 4242, 0).encode(in, 0);
            MemorySegment.copy(MemorySegment.ofArray(r.body()), 0, in, FuseHeaders.InHeader.SIZE, r.body().length);
            MemorySegment out = a.allocate(r.replyCapacity());
            FuseOutcome o = server.handle(in, new SegmentSink(out));
            if (o instanceof FuseOutcome.Replied(long len, int error)) {
                FuseHeaders.OutHeader h = FuseHeaders.OutHeader.decode(out, 0);
                assertEquals(len, Integer.toUnsignedLong(h.len()), r::toString);
                assertTrue(len >= 16 && len <= out.byteSize(), r::toString);
                assertEquals(-error, h.error(), r::toString);
                assertTrue(error >= 0 && error < 4096, r::toString);
                assertEquals(77, h.unique(), r::toString);
            }
            // the opcode's FORGET/INTERRUPT have no reply; Dropped only for a reply buffer under 16 bytes
            if (o instanceof FuseOutcome.Dropped) assertTrue(r.replyCapacity() < 16, r::toString);
        }
    }

    @Provide
    Arbitrary<List<Req>> sequences() { return request().list().ofMinSize(1).ofMaxSize(8); }

    static Arbitrary<Req> request() {
        List<Integer> codes = new ArrayList<>();
        for (FuseOpcode op : FuseOpcode.values()) if (op != FuseOpcode.INIT && op != FuseOpcode.DESTROY) codes.add(op.code());
        codes.add(999); // unknown
        Arbitrary<Integer> opcode = Arbitraries.of(codes);
        Arbitrary<Long> nodeid = Arbitraries.oneOf(Arbitraries.integers().between(0, NODES.length - 1).map(i -> NODES[i]),
                Arbitraries.of(0L, 99_999L, -1L, Long.MIN_VALUE));
        Arbitrary<Integer> caller = Arbitraries.of(0, 0, 1000, 65534);
        Arbitrary<Integer> capacity = Arbitraries.oneOf(Arbitraries.of(0, 15, 16, 17, 120, 136, 4096, (1 << 20) + 4096),
                Arbitraries.integers().between(16, 9000));
        return Combinators.combine(opcode, nodeid, caller, body(), capacity).as(Req::new);
    }

    /** 0-12 words that matter, then maybe a name or two and raw tail bytes. */
    static Arbitrary<byte[]> body() {
        Arbitrary<Long> word = Arbitraries.oneOf(
                Arbitraries.of(0L, 1L, 2L, 3L, -1L, 4096L, 1L << 20, (1L << 20) + 1, 0xffff_ffffL, Long.MAX_VALUE, Long.MIN_VALUE,
                        (long) Sys.S_IFREG | 0644, (long) Sys.S_IFIFO | 0600, (long) Sys.S_IFCHR | 0600, (long) Sys.S_IFSOCK | 0755,
                        (long) Sys.S_IFDIR | 0755, (long) Sys.O_RDWR | Sys.O_CREAT | Sys.O_TRUNC, (long) Sys.O_WRONLY | Sys.O_EXCL,
                        (long) Sys.O_DIRECTORY, 0x7L, 0x801L, (8L << 32) | 4096),
                Arbitraries.integers().between(0, FHS.size() - 1).map(i -> FHS.isEmpty() ? 1L : FHS.get(i)),
                Arbitraries.integers().between(0, NODES.length - 1).map(i -> NODES[i]),
                Arbitraries.longs());
        Arbitrary<String> name = Arbitraries.oneOf(Arbitraries.of("file", "dir", "up", "secretlink", "fifo", "new", "x", "..", ".",
                "a/b", "", "user.k", "security.capability", "trusted.x", "n".repeat(255), "n".repeat(256)),
                Arbitraries.strings().ofMaxLength(20));
        Arbitrary<byte[]> words = word.list().ofMaxSize(12).map(ws -> {
            byte[] b = new byte[ws.size() * 8];
            MemorySegment s = MemorySegment.ofArray(b);
            for (int i = 0; i < ws.size(); i++) Le.u64(s, i * 8L, ws.get(i));
            return b;
        });
        Arbitrary<byte[]> names = name.list().ofMaxSize(2).map(ns -> {
            java.io.ByteArrayOutputStream o = new java.io.ByteArrayOutputStream();
            for (String n : ns) { o.writeBytes(n.getBytes(StandardCharsets.UTF_8)); o.write(0); }
            return o.toByteArray();
        });
        Arbitrary<byte[]> tail = Arbitraries.bytes().array(byte[].class).ofMaxSize(24);
        return Combinators.combine(words, names, tail).as((w, n, t) -> {
            byte[] b = new byte[w.length + n.length + t.length];
            System.arraycopy(w, 0, b, 0, w.length);
            System.arraycopy(n, 0, b, w.length, n.length);
            System.arraycopy(t, 0, b, w.length + n.length, t.length);
            return b;
        });
    }
}
