package io.drydock.virtiofs.devfuse;

import io.drydock.kernel.sys.ErrnoException;
import io.drydock.kernel.sys.Sys;
import io.drydock.virtiofs.passthrough.PassthroughOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

/**
 * The file-operations suite: each step runs on the /dev/fuse mount and on a plain directory of the same
 * host file system, and every result (contents, the stat fields that should match, the error of a
 * failure) must be identical. Steps run in order and build on each other.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DevFuseMountTest {
    Path tmp;
    Path share, mnt, plain;
    MountedExport export;

    @BeforeAll
    void mount(@TempDir Path tmp) throws IOException {
        this.tmp = tmp;
        share = Files.createDirectory(tmp.resolve("share"));
        mnt = Files.createDirectory(tmp.resolve("mnt"));
        plain = Files.createDirectory(tmp.resolve("plain"));
        export = MountedExport.mountOrSkip(share, mnt, PassthroughOptions.defaults().withXattr(true));
        Files.createDirectory(plain.resolve("suite"));
        Files.createDirectory(mnt.resolve("suite"));
    }

    @AfterAll
    void unmount() throws IOException {
        if (export != null) export.close();
        assertFalse(Files.readString(Path.of("/proc/self/mounts")).contains(mnt.toString()), "unmounted");
    }

    /** One step of the suite: does something under a base directory and describes the outcome. */
    private interface Step { String run(Path base) throws Exception; }

    private record Named(String name, Step step) {}

    /** The outcome of {@code s}, or the error it failed with (exception type and OS reason, or errno). */
    private static String outcome(Step s, Path base) {
        try {
            return s.run(base);
        } catch (ErrnoException e) {
            return "errno " + e.errno();
        } catch (FileSystemException e) {
            return e.getClass().getSimpleName() + ": " + e.getReason();
        } catch (Exception e) {
            return e.getClass().getSimpleName() + ": " + e.getMessage().replace(base.toString(), "BASE");
        }
    }

    /** The stat fields that must agree between the mount and the plain directory. */
    private static String stat(Path p) throws IOException {
        Map<String, Object> a = Files.readAttributes(p, "unix:mode,nlink,uid,gid,size,lastModifiedTime", LinkOption.NOFOLLOW_LINKS);
        boolean dir = Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS);
        return "mode=0" + Integer.toOctalString((int) a.get("mode")) + " nlink=" + a.get("nlink") + " uid=" + a.get("uid")
                + " gid=" + a.get("gid") + (dir ? "" : " size=" + a.get("size"));
    }

    private static byte[] bytes(Path p) { return p.toString().getBytes(StandardCharsets.UTF_8); }

    private static String sha(byte[] b) throws Exception { return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b)); }

    private static String withFd(Path p, int flags, FdAction a) throws Exception {
        int fd = Sys.openat(Sys.AT_FDCWD, bytes(p), flags | Sys.O_CLOEXEC, 0644);
        try {
            return a.run(fd);
        } finally {
            Sys.close(fd);
        }
    }

    private interface FdAction { String run(int fd) throws Exception; }

    private List<Named> steps() {
        List<Named> s = new ArrayList<>();
        s.add(new Named("create and write", b -> { Files.writeString(b.resolve("f"), "hello world\n"); return stat(b.resolve("f")) + " " + Files.readString(b.resolve("f")); }));
        s.add(new Named("create exclusive over existing", b -> { Files.createFile(b.resolve("f")); return "created"; }));
        s.add(new Named("append", b -> { Files.writeString(b.resolve("f"), "more\n", StandardOpenOption.APPEND); return Files.readString(b.resolve("f")); }));
        s.add(new Named("truncate", b -> {
            try (FileChannel ch = FileChannel.open(b.resolve("f"), StandardOpenOption.WRITE)) { ch.truncate(5); }
            return stat(b.resolve("f")) + " " + Files.readString(b.resolve("f"));
        }));
        s.add(new Named("read missing", b -> Files.readString(b.resolve("missing"))));
        s.add(new Named("big file round trip", b -> {
            byte[] data = new byte[5 << 20];
            new Random(42).nextBytes(data);
            Files.write(b.resolve("big"), data);
            return stat(b.resolve("big")) + " " + sha(Files.readAllBytes(b.resolve("big")));
        }));
        s.add(new Named("random access read", b -> {
            try (FileChannel ch = FileChannel.open(b.resolve("big"))) {
                ByteBuffer buf = ByteBuffer.allocate(10000);
                ch.read(buf, 3_000_001);
                return sha(buf.array());
            }
        }));
        s.add(new Named("mkdir", b -> { Files.createDirectories(b.resolve("d/e/f")); return stat(b.resolve("d")) + " / " + stat(b.resolve("d/e")); }));
        s.add(new Named("mkdir existing", b -> { Files.createDirectory(b.resolve("d")); return "made"; }));
        s.add(new Named("rmdir non-empty", b -> { Files.delete(b.resolve("d/e")); return "deleted"; }));
        s.add(new Named("rmdir", b -> { Files.delete(b.resolve("d/e/f")); return String.valueOf(Files.exists(b.resolve("d/e/f"))); }));
        s.add(new Named("rename", b -> { Files.move(b.resolve("f"), b.resolve("d/g")); return Files.exists(b.resolve("f")) + " " + Files.readString(b.resolve("d/g")); }));
        s.add(new Named("rename missing", b -> { Files.move(b.resolve("nope"), b.resolve("x")); return "moved"; }));
        s.add(new Named("rename over existing file", b -> {
            Files.writeString(b.resolve("r1"), "one"); Files.writeString(b.resolve("r2"), "two");
            Sys.renameat2(Sys.AT_FDCWD, bytes(b.resolve("r1")), Sys.AT_FDCWD, bytes(b.resolve("r2")), 0);
            return Files.exists(b.resolve("r1")) + " " + Files.readString(b.resolve("r2"));
        }));
        s.add(new Named("rename noreplace", b -> {
            Files.writeString(b.resolve("r1"), "uno");
            Sys.renameat2(Sys.AT_FDCWD, bytes(b.resolve("r1")), Sys.AT_FDCWD, bytes(b.resolve("r2")), Sys.RENAME_NOREPLACE);
            return "renamed";
        }));
        s.add(new Named("rename exchange", b -> {
            Sys.renameat2(Sys.AT_FDCWD, bytes(b.resolve("r1")), Sys.AT_FDCWD, bytes(b.resolve("r2")), Sys.RENAME_EXCHANGE);
            return Files.readString(b.resolve("r1")) + " " + Files.readString(b.resolve("r2"));
        }));
        s.add(new Named("rename dir over non-empty dir", b -> {
            Files.createDirectories(b.resolve("x1")); Files.createDirectories(b.resolve("x2/y"));
            Sys.renameat2(Sys.AT_FDCWD, bytes(b.resolve("x1")), Sys.AT_FDCWD, bytes(b.resolve("x2")), 0);
            return "renamed";
        }));
        s.add(new Named("hard link", b -> { Files.createLink(b.resolve("d/h"), b.resolve("d/g")); return stat(b.resolve("d/g")) + " " + Files.readString(b.resolve("d/h")); }));
        s.add(new Named("hard link to a directory", b -> { Files.createLink(b.resolve("dl"), b.resolve("d")); return "linked"; }));
        s.add(new Named("symlink and readlink", b -> {
            Files.createSymbolicLink(b.resolve("s"), Path.of("d/g"));
            Files.createSymbolicLink(b.resolve("abs"), Path.of("/etc/hostname"));
            return Files.readSymbolicLink(b.resolve("s")) + " " + Files.readSymbolicLink(b.resolve("abs")) + " " + Files.readString(b.resolve("s"))
                    + " " + Files.isSymbolicLink(b.resolve("s"));
        }));
        s.add(new Named("readlink of a file", b -> Files.readSymbolicLink(b.resolve("d/g")).toString()));
        s.add(new Named("readdir", b -> {
            try (Stream<Path> l = Files.list(b)) { return l.map(p -> p.getFileName().toString()).sorted().toList().toString(); }
        }));
        s.add(new Named("readdir of 300 entries", b -> {
            Path many = Files.createDirectory(b.resolve("many"));
            for (int i = 0; i < 300; i++) Files.writeString(many.resolve("entry-" + i + "-" + "x".repeat(i % 40)), "" + i);
            try (Stream<Path> l = Files.list(many)) { return l.map(p -> p.getFileName().toString()).sorted().toList().hashCode() + " " + Files.list(many).count(); }
        }));
        s.add(new Named("chmod", b -> { Files.setPosixFilePermissions(b.resolve("d/g"), PosixFilePermissions.fromString("rw-r-----")); return stat(b.resolve("d/g")); }));
        s.add(new Named("chown", b -> { Files.setAttribute(b.resolve("d/g"), "unix:uid", 1234); Files.setAttribute(b.resolve("d/g"), "unix:gid", 4321); return stat(b.resolve("d/g")); }));
        s.add(new Named("utimes", b -> {
            Files.setLastModifiedTime(b.resolve("d/g"), FileTime.fromMillis(1_500_000_000_123L));
            Files.setAttribute(b.resolve("d/g"), "lastAccessTime", FileTime.fromMillis(1_400_000_000_000L));
            return Files.getLastModifiedTime(b.resolve("d/g")) + " " + Files.getAttribute(b.resolve("d/g"), "lastAccessTime");
        }));
        s.add(new Named("xattr set list get remove", b -> {
            UserDefinedFileAttributeView v = Files.getFileAttributeView(b.resolve("d/g"), UserDefinedFileAttributeView.class);
            v.write("k1", ByteBuffer.wrap("v1".getBytes()));
            v.write("k2", ByteBuffer.wrap(new byte[3000]));
            ByteBuffer got = ByteBuffer.allocate(v.size("k1"));
            v.read("k1", got);
            List<String> names = v.list().stream().sorted().toList();
            v.delete("k2");
            return names + " " + new String(got.array()) + " " + v.list();
        }));
        s.add(new Named("xattr get missing", b -> {
            UserDefinedFileAttributeView v = Files.getFileAttributeView(b.resolve("d/g"), UserDefinedFileAttributeView.class);
            return "" + v.size("nope");
        }));
        s.add(new Named("fallocate and lseek holes", b -> withFd(b.resolve("sparse"), Sys.O_RDWR | Sys.O_CREAT, fd -> {
            try (Arena a = Arena.ofConfined()) {
                Sys.pwrite(fd, a.allocateFrom("data"), 4 << 20);
                String holes = Sys.lseek(fd, 0, Sys.SEEK_DATA) + " " + Sys.lseek(fd, 0, Sys.SEEK_HOLE);
                Sys.fallocate(fd, 0, 0, 8 << 20);
                Sys.fallocate(fd, 3, 1 << 20, 1 << 20); // PUNCH_HOLE | KEEP_SIZE
                return holes + " " + stat(b.resolve("sparse")) + " hole@" + Sys.lseek(fd, 1 << 20, Sys.SEEK_HOLE);
            }
        })));
        s.add(new Named("lseek data past end", b -> withFd(b.resolve("sparse"), Sys.O_RDONLY, fd -> "" + Sys.lseek(fd, 9 << 20, Sys.SEEK_DATA))));
        s.add(new Named("copy_file_range", b -> withFd(b.resolve("big"), Sys.O_RDONLY, in -> withFd(b.resolve("copy"), Sys.O_RDWR | Sys.O_CREAT, out -> {
            long n = Sys.copyFileRange(in, 1000, out, 0, 1 << 20, 0);
            return n + " " + stat(b.resolve("copy")) + " " + sha(Files.readAllBytes(b.resolve("copy")));
        }))));
        s.add(new Named("fifo", b -> { Sys.mknodat(Sys.AT_FDCWD, bytes(b.resolve("fifo")), Sys.S_IFIFO | 0640, 0); return stat(b.resolve("fifo")); }));
        s.add(new Named("open a directory for writing", b -> withFd(b.resolve("d"), Sys.O_WRONLY, fd -> "opened")));
        s.add(new Named("unlink", b -> { Files.delete(b.resolve("d/h")); return stat(b.resolve("d/g")) + " " + Files.exists(b.resolve("d/h")); }));
        s.add(new Named("unlink missing", b -> { Files.delete(b.resolve("d/h")); return "deleted"; }));
        s.add(new Named("write to an unlinked open file", b -> {
            try (FileChannel ch = FileChannel.open(b.resolve("tmpfile"), StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                Files.delete(b.resolve("tmpfile"));
                ch.write(ByteBuffer.wrap("still here".getBytes()), 0);
                ByteBuffer buf = ByteBuffer.allocate(10);
                ch.read(buf, 0);
                return new String(buf.array());
            }
        }));
        s.add(new Named("statfs", b -> Files.getFileStore(b).getTotalSpace() + " " + Files.getFileStore(b).getBlockSize()));
        return s;
    }

    @TestFactory
    List<DynamicTest> everyOperationMatchesThePlainDirectory() {
        return steps().stream().map(n -> dynamicTest(n.name(), () -> {
            String onPlain = outcome(n.step(), plain.resolve("suite"));
            String onMount = outcome(n.step(), mnt.resolve("suite"));
            System.out.println(n.name() + " -> " + onMount);
            assertEquals(onPlain, onMount, n.name());
        })).toList();
    }

    private static String run(Path cwd, String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), String.join(" ", cmd) + ":\n" + out);
        return out;
    }

    @Test
    void cpTarAndFindSeeTheSameTree() throws Exception {
        Path src = Files.createDirectory(tmp.resolve("src"));
        Random r = new Random(7);
        for (int d = 0; d < 5; d++) {
            Path dir = Files.createDirectories(src.resolve("dir" + d).resolve("sub" + d));
            for (int i = 0; i < 20; i++) {
                byte[] b = new byte[r.nextInt(200_000)];
                r.nextBytes(b);
                Files.write(dir.resolve("file" + i + ".bin"), b);
            }
            Files.createSymbolicLink(dir.resolve("link"), Path.of("file0.bin"));
        }
        Files.setPosixFilePermissions(src.resolve("dir1/sub1/file3.bin"), PosixFilePermissions.fromString("r-x------"));
        run(tmp, "cp", "-a", src.toString(), mnt.resolve("tree").toString());
        run(tmp, "cp", "-a", src.toString(), plain.resolve("tree").toString());
        String findArgs = "%P %y %s %m %U %G %T@ %l\n";
        String onMount = run(mnt, "find", "tree", "-printf", findArgs);
        String onPlain = run(plain, "find", "tree", "-printf", findArgs);
        assertEquals(sorted(onPlain), sorted(onMount), "find");
        assertTrue(onMount.lines().count() > 100);
        run(tmp, "diff", "-r", "--no-dereference", src.toString(), mnt.resolve("tree").toString());
        String tarMount = run(mnt, "sh", "-c", "tar --sort=name --mtime=@0 --owner=0 --group=0 -cf - tree | sha256sum");
        String tarPlain = run(plain, "sh", "-c", "tar --sort=name --mtime=@0 --owner=0 --group=0 -cf - tree | sha256sum");
        assertEquals(tarPlain, tarMount, "byte-identical tar archives");
        Path extracted = Files.createDirectory(mnt.resolve("untarred"));
        run(extracted, "sh", "-c", "tar -C " + plain + " -cf - tree | tar -xf -");
        run(tmp, "diff", "-r", "--no-dereference", src.toString(), extracted.resolve("tree").toString());
        run(mnt, "rm", "-rf", "tree", "untarred");
        run(plain, "rm", "-rf", "tree");
        assertFalse(Files.exists(share.resolve("tree")));
    }

    private static List<String> sorted(String s) { return s.lines().sorted().toList(); }

    @Test
    void theExportIsTheSharedDirectory() throws IOException {
        Files.writeString(mnt.resolve("through-mount"), "m");
        assertEquals("m", Files.readString(share.resolve("through-mount")));
        Files.writeString(share.resolve("on-host"), "h");
        assertEquals("h", Files.readString(mnt.resolve("on-host")));
        Map<String, Long> counts = new TreeMap<>();
        export.stats.nonZero().forEach((op, t) -> counts.put(op.name(), t.requests()));
        assertTrue(counts.containsKey("INIT") && counts.containsKey("LOOKUP") && counts.containsKey("WRITE"), counts.toString());
    }
}
