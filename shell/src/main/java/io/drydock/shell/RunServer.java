package io.drydock.shell;

import io.drydock.shell.log.LogProvider;
import io.drydock.kernel.machine.Machine;
import io.drydock.shell.plugin.PluginHost;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The warm half of {@code scripts/run --warm}: a JVM that stays up (like Gradle's daemon) and runs each
 * client's {@code scripts/run} in it, on a fresh machine each time, with the client's console relayed over a
 * Unix socket. The client ({@code scripts/lib/run-client.c}) owns the terminal (raw mode, Ctrl-C) and ends
 * with the exit code the run returns, so a warm run prints, reads and exits exactly as a cold one: the same
 * {@link RunMain#run} does the work.
 *
 * <p>Protocol, one frame = a type byte, a 4-byte big-endian length, that many bytes. Client to server:
 * {@code A} an argument, {@code C} the working directory, {@code E} an environment entry K=V (DRYDOCK_*
 * only), {@code G} start; then {@code I} standard input bytes and {@code Z} its end. Server to client:
 * {@code O} standard output, {@code R} standard error, {@code X} the exit code (4 bytes, ends the run), or
 * {@code K} instead of a run: run cold (this server cannot serve it the same way: {@code --log} changes
 * process-wide levels; or the jars changed since the server started, and then it also stops).
 *
 * <p>Only the user who started the server may connect (the socket's directory is theirs alone, and each
 * peer's credentials are checked). The server stops by itself after {@code idle} seconds without a run,
 * and when its jars or plugins change.
 */
public final class RunServer {
    static final byte ARG = 'A', CWD = 'C', ENV = 'E', GO = 'G', STDIN = 'I', STDIN_END = 'Z';
    static final byte STDOUT = 'O', STDERR = 'R', EXIT = 'X', COLD = 'K';
    private static final int MAX_FRAME = 1 << 20;

    private final Path socket;
    private final long idleNanos;
    private final Path home;
    private final Map<String, Long> stamp;
    private final Map<Path, PluginHost> plugins = new ConcurrentHashMap<>();
    private final AtomicInteger active = new AtomicInteger();
    private final AtomicLong lastActivity = new AtomicLong(System.nanoTime());
    private volatile boolean stale;

    private RunServer(Path socket, long idleSeconds, Path home) {
        this.socket = socket;
        this.idleNanos = idleSeconds * 1_000_000_000L;
        this.home = home;
        this.stamp = stamp();
    }

    /** {@code RunServer SOCKET [IDLE_SECONDS]} (default 600). */
    public static void main(String[] args) throws IOException {
        LogProvider.select();
        if (args.length < 1) {
            System.err.println("usage: RunServer SOCKET [IDLE_SECONDS]");
            System.exit(2);
        }
        long idle = args.length > 1 ? Long.parseLong(args[1]) : 600;
        Path home = Path.of(System.getProperty("drydock.home", "."));
        new RunServer(Path.of(args[0]), idle, home).serve();
    }

    private void serve() throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            if (Files.exists(socket)) {
                try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
                    System.err.println("run server: another server already listens on " + socket);
                    return;
                } catch (IOException dead) {
                    Files.deleteIfExists(socket); // left by a server that was killed
                }
            }
            server.bind(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            // another server got there first (two warm runs started at once): it serves them both
            System.err.println("run server: " + socket + ": " + e.getMessage());
            return;
        }
        System.err.println("run server: listening on " + socket + ", stops after " + idleNanos / 1_000_000_000L + " s idle");
        Thread.ofPlatform().daemon().name("run-server-warm-up").start(() -> {
            // warm the JIT and the plugins with the training boots while no client waits (idle: low priority)
            Thread.currentThread().setPriority(Thread.MIN_PRIORITY);
            AotTraining.runAll(home, this::pluginsFor);
        });
        Thread.ofPlatform().daemon().name("run-server-idle").start(() -> watchIdle(server));
        int n = 0;
        while (true) {
            SocketChannel client;
            try {
                client = server.accept();
            } catch (IOException closed) {
                break;
            }
            active.incrementAndGet();
            lastActivity.set(System.nanoTime());
            Thread.ofPlatform().name("run-client-" + (++n)).start(() -> {
                try (client) {
                    serveOne(client);
                } catch (IOException | RuntimeException e) {
                    System.err.println("run server: a client: " + e);
                } finally {
                    active.decrementAndGet();
                    lastActivity.set(System.nanoTime());
                }
            });
        }
    }

    private void watchIdle(ServerSocketChannel server) {
        while (true) {
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                return;
            }
            boolean idle = active.get() == 0 && System.nanoTime() - lastActivity.get() > idleNanos;
            if ((idle || stale) && active.get() == 0) {
                try {
                    Files.deleteIfExists(socket);
                    server.close();
                } catch (IOException e) {
                    // exiting anyway
                }
                System.err.println("run server: " + (stale ? "jars changed" : "idle") + ", stopping");
                System.exit(0);
            }
        }
    }

    private PluginHost pluginsFor(Path dir, List<String> words) {
        return plugins.computeIfAbsent(dir.toAbsolutePath().normalize(), d -> PluginHost.load(d, DrydockVersion.number()));
    }

    private void serveOne(SocketChannel ch) throws IOException {
        var peer = ch.getOption(jdk.net.ExtendedSocketOptions.SO_PEERCRED);
        if (!peer.user().getName().equals(System.getProperty("user.name"))) {
            System.err.println("run server: refused a client of user " + peer.user().getName());
            return;
        }
        Frames frames = new Frames(ch);
        List<String> args = new ArrayList<>();
        Map<String, String> env = new LinkedHashMap<>();
        Path cwd = null;
        for (Frame f = frames.read(); f.type() != GO; f = frames.read()) {
            String s = new String(f.data(), StandardCharsets.UTF_8);
            switch (f.type()) {
                case ARG -> args.add(s);
                case CWD -> cwd = Path.of(s);
                case ENV -> {
                    int eq = s.indexOf('=');
                    if (eq > 0 && s.startsWith("DRYDOCK_")) env.put(s.substring(0, eq), s.substring(eq + 1));
                }
                default -> throw new IOException("unexpected frame '" + (char) f.type() + "' before the start");
            }
        }
        if (cwd == null || !cwd.isAbsolute()) throw new IOException("no working directory");
        if (!stale && !stamp.equals(stamp())) stale = true;
        boolean logs = args.stream().anyMatch(a -> a.equals("--log") || a.startsWith("--log="));
        if (stale || logs) {
            frames.write(COLD, new byte[0]);
            return;
        }
        Input in = new Input();
        RunIo io = new RunIo(in, new PrintStream(new Output(frames, STDOUT), false, StandardCharsets.UTF_8),
                new PrintStream(new Output(frames, STDERR), true, StandardCharsets.UTF_8), cwd, env, false);
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        Thread reader = Thread.ofPlatform().daemon().name("run-client-input").start(() -> relayInput(frames, in, io, done));
        int code;
        try {
            code = RunMain.run(args.toArray(String[]::new), io, this::pluginsFor);
        } finally {
            done.set(true);
        }
        io.out().flush();
        io.err().flush();
        frames.write(EXIT, ByteBuffer.allocate(4).putInt(code).array());
        reader.interrupt();
    }

    /** Standard input frames into {@code in}; a client that goes away ends the input and stops its machine. */
    private static void relayInput(Frames frames, Input in, RunIo io, java.util.concurrent.atomic.AtomicBoolean done) {
        try {
            while (true) {
                Frame f = frames.read();
                if (f.type() == STDIN) in.add(f.data());
                else if (f.type() == STDIN_END) in.end();
                else throw new IOException("unexpected frame '" + (char) f.type() + "'");
            }
        } catch (IOException gone) {
            in.end();
            Machine m = io.machine().get();
            if (m != null && !done.get()) m.stop(); // Ctrl-C or a killed client: end its run as a cold one would end
        }
    }

    /** The jars this server runs (class path) and the default plugins directory's, with modification times. */
    private Map<String, Long> stamp() {
        Map<String, Long> out = new java.util.TreeMap<>();
        List<Path> files = new ArrayList<>();
        for (String p : System.getProperty("java.class.path", "").split(java.io.File.pathSeparator)) if (!p.isEmpty()) files.add(Path.of(p));
        Path dir = PluginHost.directoryFor(null, Map.of());
        try (var ds = Files.newDirectoryStream(dir, "*.jar")) {
            for (Path p : ds) files.add(p);
        } catch (IOException e) {
            // no plugins directory: nothing to watch there
        }
        for (Path p : files) {
            try {
                out.put(p.toString(), Files.getLastModifiedTime(p).toMillis() ^ Files.size(p) << 20);
            } catch (IOException e) {
                out.put(p.toString(), -1L);
            }
        }
        return out;
    }

    record Frame(byte type, byte[] data) {}

    /** Frames over the socket: reads on one thread, writes from any (whole frames, never interleaved). */
    static final class Frames {
        private final SocketChannel ch;
        private final ByteBuffer header = ByteBuffer.allocate(5);

        Frames(SocketChannel ch) { this.ch = ch; }

        Frame read() throws IOException {
            header.clear();
            fill(header);
            byte type = header.get(0);
            int len = header.getInt(1);
            if (len < 0 || len > MAX_FRAME) throw new IOException("bad frame length " + len);
            ByteBuffer body = ByteBuffer.allocate(len);
            fill(body);
            return new Frame(type, body.array());
        }

        private void fill(ByteBuffer b) throws IOException {
            while (b.hasRemaining()) if (ch.read(b) < 0) throw new EOFException("client closed the connection");
            b.flip();
        }

        synchronized void write(byte type, byte[] data, int off, int len) throws IOException {
            ByteBuffer b = ByteBuffer.allocate(5 + len).put(type).putInt(len).put(data, off, len).flip();
            while (b.hasRemaining()) ch.write(b);
        }

        void write(byte type, byte[] data) throws IOException { write(type, data, 0, data.length); }
    }

    /** A run's standard output or error: each write one frame to the client. */
    private static final class Output extends OutputStream {
        private final Frames frames;
        private final byte type;

        Output(Frames frames, byte type) {
            this.frames = frames;
            this.type = type;
        }

        @Override public void write(int b) throws IOException { write(new byte[]{(byte) b}, 0, 1); }

        @Override public void write(byte[] b, int off, int len) throws IOException {
            if (len > 0) frames.write(type, b, off, len);
        }
    }

    /** A run's standard input: what the client sent, then end of file. */
    private static final class Input extends InputStream {
        private static final byte[] END = new byte[0];
        private final LinkedBlockingQueue<byte[]> queue = new LinkedBlockingQueue<>();
        private byte[] current = new byte[0];
        private int pos;
        private volatile boolean ended;

        void add(byte[] b) { if (!ended && b.length > 0) queue.add(b); }

        void end() {
            if (!ended) {
                ended = true;
                queue.add(END);
            }
        }

        boolean ended() { return ended; }

        @Override public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) return 0;
            while (pos == current.length) {
                if (current == END) return -1;
                try {
                    current = queue.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return -1;
                }
                pos = 0;
                if (current == END) return -1;
            }
            int n = Math.min(len, current.length - pos);
            System.arraycopy(current, pos, b, off, n);
            pos += n;
            return n;
        }
    }
}
