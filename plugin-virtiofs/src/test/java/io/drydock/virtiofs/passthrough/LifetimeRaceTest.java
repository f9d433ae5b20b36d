package io.drydock.virtiofs.passthrough;

import io.drydock.virtiofs.fuse.abi.FuseAttrs;
import io.drydock.virtiofs.fuse.abi.FuseAttrs.EntryOut;
import io.drydock.virtiofs.fuse.abi.FuseFileIo;
import io.drydock.virtiofs.fuse.abi.FuseInit;
import io.drydock.virtiofs.fuse.abi.FuseOpcode;
import io.drydock.virtiofs.fuse.server.FuseRequest;
import io.drydock.virtiofs.fuse.server.FuseServer;
import io.drydock.virtiofs.fuse.server.FuseServerConfig;
import io.drydock.virtiofs.fuse.server.FuseTestClient;
import io.drydock.kernel.sys.Sys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Finding 1 of issue #11 (escape by race): FORGET, RELEASE, DESTROY and a second INIT race every
 * operation that uses an inode's O_PATH descriptor or a handle's descriptor, while another thread of the
 * same JVM keeps opening and closing files outside the share so that any closed descriptor number is
 * recycled at once onto a host file. Nothing outside the share may ever change.
 *
 * <p>Budget: {@code -Ddrydock.race.seconds=N} (default 3 s in CI). By hand, a longer run:
 * {@code mvn -o -pl plugin-virtiofs test -Dtest=LifetimeRaceTest -Ddrydock.race.seconds=300}.
 */
class LifetimeRaceTest {
    static final long SECONDS = Long.getLong("drydock.race.seconds", 3);
    static final String SECRET = "host secret, never to be truncated";

    @TempDir Path tmp;

    @Test
    void forgetReleaseDestroyRaceEveryOperationAndNothingOutsideChanges() throws Exception {
        Path share = Files.createDirectory(tmp.resolve("share"));
        Path outside = Files.createDirectory(tmp.resolve("outside"));
        List<Path> victims = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Path v = Files.writeString(outside.resolve("victim" + i), SECRET);
            Files.setPosixFilePermissions(v, PosixFilePermissions.fromString("rw-r--r--"));
            victims.add(v);
        }
        for (int i = 0; i < 4; i++) Files.writeString(share.resolve("f" + i), "0123456789");
        Files.createDirectory(share.resolve("d"));

        PassthroughFileSystem fs = PassthroughFileSystem.open(share.toString(), PassthroughOptions.defaults().withMaxOpenFds(64).withMaxInodeFds(4)); // descriptors dropped and re-opened by handle all the time
        FuseServer server = new FuseServer(fs, FuseServerConfig.defaults(), null, null);
        new FuseTestClient(server).init();

        AtomicLong[] nodes = new AtomicLong[4];
        AtomicLong[] fhs = new AtomicLong[4];
        for (int i = 0; i < 4; i++) { nodes[i] = new AtomicLong(-1); fhs[i] = new AtomicLong(-1); }
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicLong rounds = new AtomicLong();
        long deadline = System.nanoTime() + SECONDS * 1_000_000_000L;
        List<Thread> threads = new ArrayList<>();

        // looks files up and forgets them again: inodes (and their O_PATH descriptors) come and go
        threads.add(worker(failure, deadline, rounds, server, c -> {
            int k = ThreadLocalRandom.current().nextInt(4);
            FuseTestClient.Reply r = c.lookupReply(1, "f" + k);
            if (r.error() == 0) {
                long n = EntryOut.decode(r.args(), 0).nodeid();
                nodes[k].set(n);
                for (int spin = ThreadLocalRandom.current().nextInt(200); spin > 0; spin--) Thread.onSpinWait();
                c.sendNoReply(FuseRequest.of(FuseOpcode.FORGET, n).struct(8, (s, o) -> s.set(java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED, o, 1L)));
            }
        }));
        // opens and releases handles
        threads.add(worker(failure, deadline, rounds, server, c -> {
            int k = ThreadLocalRandom.current().nextInt(4);
            FuseTestClient.Reply l = c.lookupReply(1, "f" + k);
            if (l.error() != 0) return;
            long n = EntryOut.decode(l.args(), 0).nodeid();
            FuseTestClient.Reply o = c.openReply(n, Sys.O_RDWR);
            if (o.error() == 0) {
                long fh = FuseFileIo.OpenOut.decode(o.args(), 0).fh();
                fhs[k].set(fh);
                Thread.onSpinWait();
                c.release(n, fh, FuseOpcode.RELEASE);
            }
            c.sendNoReply(FuseRequest.of(FuseOpcode.FORGET, n).struct(8, (s, x) -> s.set(java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED, x, 1L)));
        }));
        // every operation that acts on an inode's descriptor, on whatever nodeid is current
        for (int t = 0; t < 3; t++) {
            threads.add(worker(failure, deadline, rounds, server, c -> {
                int k = ThreadLocalRandom.current().nextInt(4);
                long n = nodes[k].get();
                if (n < 0) return;
                switch (ThreadLocalRandom.current().nextInt(6)) {
                    case 0 -> sendSetattr(c, n, FuseAttrs.FATTR_SIZE, 0, 0);
                    case 1 -> sendSetattr(c, n, FuseAttrs.FATTR_MODE, 0, 0600);
                    case 2 -> sendSetattr(c, n, FuseAttrs.FATTR_MTIME, 0, 0);
                    case 3 -> c.getattr_error(n);
                    case 4 -> c.openReply(n, Sys.O_WRONLY | Sys.O_TRUNC);
                    default -> sendSetattr(c, n, FuseAttrs.FATTR_UID | FuseAttrs.FATTR_GID, 0, 0);
                }
            }));
        }
        // every operation that acts on a handle's descriptor
        threads.add(worker(failure, deadline, rounds, server, c -> {
            int k = ThreadLocalRandom.current().nextInt(4);
            long n = nodes[k].get(), fh = fhs[k].get();
            if (n < 0 || fh < 0) return;
            switch (ThreadLocalRandom.current().nextInt(3)) {
                case 0 -> c.writeReply(n, fh, 1 << 20, new byte[]{1});
                case 1 -> sendSetattr(c, n, FuseAttrs.FATTR_SIZE | FuseAttrs.FATTR_FH, fh, 0);
                default -> c.readReply(n, fh, 0, 16);
            }
        }));
        // DESTROY or a second INIT now and then: drops every inode and handle while requests run
        threads.add(worker(failure, deadline, rounds, server, c -> {
            try { Thread.sleep(20); } catch (InterruptedException e) { return; }
            if (ThreadLocalRandom.current().nextBoolean()) c.send(FuseRequest.of(FuseOpcode.DESTROY, 0));
            c.send(FuseRequest.of(FuseOpcode.INIT, 0).struct(FuseInit.InitIn.SIZE,
                    (s, o) -> new FuseInit.InitIn(7, 45, 1 << 17, 0x73fffffbL | FuseInit.INIT_EXT).encode(s, o)));
        }));
        // the rest of the JVM: opens host files outside the share, so a freed descriptor number lands on one
        Thread opener = Thread.ofPlatform().name("race-opener").start(() -> {
            java.util.ArrayDeque<RandomAccessFile> open = new java.util.ArrayDeque<>();
            try {
                for (int i = 0; System.nanoTime() < deadline && failure.get() == null; i++) {
                    open.add(new RandomAccessFile(victims.get(i % victims.size()).toFile(), "r"));
                    if (open.size() > 4) open.poll().close();
                }
                for (RandomAccessFile f : open) f.close();
            } catch (IOException e) {
                failure.compareAndSet(null, e);
            }
        });
        for (Thread t : threads) t.join();
        opener.join();
        fs.close();

        assertNull(failure.get(), () -> "a racing thread failed: " + failure.get());
        for (Path v : victims) {
            assertEquals(SECRET, Files.readString(v), v + " outside the share was changed after " + rounds.get() + " rounds");
            assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(v)), v + " mode");
        }
        assertTrue(rounds.get() > 1000, "the race ran: " + rounds.get() + " rounds");
        System.out.printf("LifetimeRaceTest: %d rounds in %d s, nothing outside the share changed%n", rounds.get(), SECONDS);
    }

    private static void sendSetattr(FuseTestClient c, long n, int valid, long fh, int mode) {
        FuseAttrs.SetattrIn in = PassthroughFixture.attrs(valid, 0, mode, 0, 0, 1, 1, fh);
        c.send(FuseRequest.of(FuseOpcode.SETATTR, n).struct(88, (s, o) -> in.encode(s, o)));
    }

    interface Round { void run(FuseTestClient c) throws Exception; }

    private static Thread worker(AtomicReference<Throwable> failure, long deadline, AtomicLong rounds, FuseServer server, Round r) {
        return Thread.ofPlatform().name("race").start(() -> {
            try (FuseTestClient c = new FuseTestClient(server, true)) {
                while (System.nanoTime() < deadline && failure.get() == null) {
                    r.run(c);
                    rounds.incrementAndGet();
                }
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            }
        });
    }
}
