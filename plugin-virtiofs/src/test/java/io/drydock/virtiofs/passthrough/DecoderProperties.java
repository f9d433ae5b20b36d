package io.drydock.virtiofs.passthrough;

import io.drydock.virtiofs.fuse.abi.FuseAttrs;
import io.drydock.virtiofs.fuse.abi.FuseDirs;
import io.drydock.virtiofs.fuse.abi.FuseFileIo;
import io.drydock.virtiofs.fuse.abi.FuseHeaders;
import io.drydock.virtiofs.fuse.abi.FuseMisc;
import io.drydock.virtiofs.fuse.abi.FuseOpcode;
import io.drydock.virtiofs.fuse.abi.Le;
import io.drydock.virtiofs.fuse.server.FuseOutcome;
import io.drydock.virtiofs.fuse.server.FuseRequest;
import io.drydock.virtiofs.fuse.server.FuseServer;
import io.drydock.virtiofs.fuse.server.FuseTestClient;
import io.drydock.virtiofs.fuse.transport.SegmentSink;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Random and mutated requests into a server over a real passthrough: nothing escapes, every reply is
 * well-formed, garbage changes nothing, and mutated requests change nothing outside the share.
 */
class DecoderProperties {
    static Path tmp, share, outside;
    static PassthroughFixture fixture;
    static String outsideBefore;

    @BeforeContainer
    static void start() throws IOException {
        tmp = Files.createTempDirectory("fuse-props");
        share = Files.createDirectory(tmp.resolve("share"));
        outside = Files.createDirectory(tmp.resolve("outside"));
        Files.writeString(outside.resolve("secret"), "s");
        Files.writeString(share.resolve("file"), "0123456789");
        Files.createDirectory(share.resolve("dir"));
        Files.createSymbolicLink(share.resolve("up"), Path.of("../outside"));
        fixture = new PassthroughFixture(share);
        outsideBefore = snapshot(outside);
        // populate a few nodeids (2, 3, 4) and an open handle so mutations reach real inodes
        fixture.client.lookup(1, "file");
        fixture.client.lookup(1, "dir");
        fixture.client.lookup(1, "up");
        fixture.client.open(2, 2);
        for (int i : new int[]{0, 2, 3, 4, 5}) // the templates are real, working requests (1 is an attack: ENOTDIR)
            assertEquals(0, fixture.client.send(TEMPLATES.get(i)).error(), "template " + i);
        assertEquals(20, fixture.client.send(TEMPLATES.get(1)).error());
    }

    @AfterContainer
    static void stop() throws IOException {
        fixture.close();
        try (Stream<Path> s = Files.walk(tmp)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    static String snapshot(Path root) throws IOException {
        StringBuilder b = new StringBuilder();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted().toList()) {
                b.append(root.relativize(p)).append(' ')
                        .append(Files.readAttributes(p, "unix:mode,size,nlink,lastModifiedTime", LinkOption.NOFOLLOW_LINKS)).append('\n');
            }
        }
        return b.toString();
    }

    /** Sends raw bytes; checks the outcome is a well-formed reply, no reply or a refusal. */
    static void sendRaw(byte[] request) {
        FuseServer server = fixture.client.server();
        if (server.session() == null) fixture.client.init(); // a mutation into DESTROY or a bad INIT ended the session
        try (Arena a = Arena.ofConfined()) {
            MemorySegment in = a.allocate(Math.max(1, request.length)).asSlice(0, request.length);
            in.copyFrom(MemorySegment.ofArray(request));
            MemorySegment out = a.allocate(1 << 16);
            FuseOutcome o = server.handle(in, new SegmentSink(out));
            if (o instanceof FuseOutcome.Replied(long len, int error)) {
                FuseHeaders.OutHeader h = FuseHeaders.OutHeader.decode(out, 0);
                assertEquals(len, Integer.toUnsignedLong(h.len()));
                assertTrue(len >= 16 && len <= out.byteSize());
                assertEquals(-error, h.error());
                assertTrue(error >= 0 && error < 4096, "an errno");
                assertEquals(Le.u64(in, 8), h.unique(), "unique echoed");
            } else if (o instanceof FuseOutcome.Dropped) {
                assertTrue(request.length < 40 || Le.u32(in, 4) == 26 << 24, "only headerless or byte-swapped INIT requests are dropped");
            }
        }
    }

    @Property(tries = 2000)
    void garbageNeverEscapesAndChangesNothing(@ForAll("garbage") byte[] request) throws IOException {
        String before = snapshot(share);
        sendRaw(request);
        assertEquals(before, snapshot(share));
        assertEquals(outsideBefore, snapshot(outside));
    }

    @Provide
    Arbitrary<byte[]> garbage() {
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
        // random bodies behind a header whose len is right, so they reach the opcode decoders
        Arbitrary<byte[]> framed = Arbitraries.integers().between(1, 60).flatMap(op ->
                Arbitraries.bytes().array(byte[].class).ofMaxSize(200).map(body -> {
                    byte[] r = new byte[40 + body.length];
                    MemorySegment s = MemorySegment.ofArray(r);
                    // only read-only opcodes with garbage: a random valid MKDIR would legitimately change the share
                    int safe = switch (op) { case 4, 6, 8, 9, 10, 11, 12, 13, 16, 21, 24, 35, 43, 45, 47 -> 3; default -> op; };
                    new FuseHeaders.InHeader(r.length, safe, 7, op % 5, 0, 0, 0, 0).encode(s, 0);
                    System.arraycopy(body, 0, r, 40, body.length);
                    return r;
                }));
        return Arbitraries.oneOf(random, framed);
    }

    static final List<FuseRequest> TEMPLATES = List.of(
            FuseRequest.of(FuseOpcode.LOOKUP, 1).name("file"),
            FuseRequest.of(FuseOpcode.LOOKUP, 4).name("secret"),
            FuseRequest.of(FuseOpcode.MKDIR, 1).struct(8, (s, o) -> new FuseDirs.MkdirIn(0755, 0).encode(s, o)).name("newdir"),
            FuseRequest.of(FuseOpcode.CREATE, 3).struct(16, (s, o) -> new FuseFileIo.CreateIn(0102, 0644, 0, 0).encode(s, o)).name("new"),
            FuseRequest.of(FuseOpcode.WRITE, 2).struct(40, (s, o) -> new FuseFileIo.WriteIn(1, 0, 4, 0, 0, 0).encode(s, o)).bytes("abcd".getBytes()),
            FuseRequest.of(FuseOpcode.READ, 2).struct(40, (s, o) -> new FuseFileIo.ReadIn(1, 0, 4096, 0, 0, 0).encode(s, o)),
            FuseRequest.of(FuseOpcode.SETATTR, 2).struct(88, (s, o) -> new FuseAttrs.SetattrIn(FuseAttrs.FATTR_SIZE, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0).encode(s, o)),
            FuseRequest.of(FuseOpcode.RENAME, 1).struct(8, (s, o) -> new FuseDirs.RenameIn(3).encode(s, o)).name("newdir").name("moved"),
            FuseRequest.of(FuseOpcode.SYMLINK, 3).name("sl").name("/etc/passwd"),
            FuseRequest.of(FuseOpcode.READDIRPLUS, 1).struct(40, (s, o) -> new FuseFileIo.ReadIn(1, 0, 4096, 0, 0, 0).encode(s, o)),
            FuseRequest.of(FuseOpcode.GETXATTR, 2).struct(8, (s, o) -> new FuseMisc.GetxattrIn(64).encode(s, o)).name("user.x"),
            FuseRequest.of(FuseOpcode.BATCH_FORGET, 0).struct(8, (s, o) -> new FuseMisc.BatchForgetIn(1).encode(s, o))
                    .struct(16, (s, o) -> new FuseMisc.ForgetOne(3, 1).encode(s, o)),
            FuseRequest.of(FuseOpcode.LINK, 3).struct(8, (s, o) -> new FuseDirs.LinkIn(4).encode(s, o)).name("hl"),
            FuseRequest.of(FuseOpcode.COPY_FILE_RANGE, 2).struct(56, (s, o) -> new FuseFileIo.CopyFileRangeIn(1, 0, 2, 1, 100, 4, 0).encode(s, o)));

    @Property(tries = 3000)
    void mutatedRequestsStayInsideTheShare(@ForAll("mutated") byte[] request) throws IOException {
        sendRaw(request);
        assertEquals(outsideBefore, snapshot(outside), "nothing outside the share changes");
        assertEquals("s", Files.readString(outside.resolve("secret")));
    }

    @Provide
    Arbitrary<byte[]> mutated() {
        Arbitrary<byte[]> base = Arbitraries.of(TEMPLATES).map(t -> {
            try (Arena a = Arena.ofConfined()) {
                return t.build(a).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
            }
        });
        return base.flatMap(b -> Arbitraries.integers().between(0, 3).flatMap(kind -> switch (kind) {
            case 0 -> Arbitraries.integers().between(0, b.length - 1).tuple2().flatMap(pos -> Arbitraries.bytes().map(v -> {
                byte[] c = b.clone();
                c[pos.get1()] = v;
                c[pos.get2()] = (byte) (v * 7);
                return c;
            }));
            case 1 -> Arbitraries.integers().between(0, b.length).map(n -> { // truncated, header len fixed up or not
                byte[] c = java.util.Arrays.copyOf(b, n);
                if (n >= 40 && (n & 1) == 0) Le.u32(MemorySegment.ofArray(c), 0, n);
                return c;
            });
            case 2 -> Arbitraries.bytes().array(byte[].class).ofMaxSize(64).map(extra -> { // extended, len fixed up
                byte[] c = java.util.Arrays.copyOf(b, b.length + extra.length);
                System.arraycopy(extra, 0, c, b.length, extra.length);
                Le.u32(MemorySegment.ofArray(c), 0, c.length);
                return c;
            });
            default -> Arbitraries.integers().between(40, Math.max(40, b.length - 1)).flatMap(pos -> Arbitraries.integers().map(v -> {
                byte[] c = b.clone(); // a random u32 in the arguments: sizes, counts, offsets, fh, nodeids
                if (pos + 4 <= c.length) Le.u32(MemorySegment.ofArray(c), pos, v);
                return c;
            }));
        }));
    }

}
