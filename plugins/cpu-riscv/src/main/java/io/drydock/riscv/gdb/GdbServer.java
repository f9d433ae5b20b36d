package io.drydock.riscv.gdb;

import io.drydock.kernel.debug.DebugServer;
import io.drydock.kernel.machine.Cpu;
import io.drydock.kernel.machine.Machine;
import io.drydock.riscv.Hart;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * A GDB remote stub for one machine of RISC-V harts, listening on 127.0.0.1 only (never another
 * interface). One client at a time is served on the server's own thread; a second connection waits
 * until the first ends. Started by {@link Machine#gdb(int)} through the board's
 * {@link io.drydock.kernel.debug.DebugServerProvider} service; closed with the machine.
 */
public final class GdbServer implements DebugServer {
    private static final Logger log = LoggerFactory.getLogger(GdbServer.class);

    private final Machine machine;
    private final List<Hart> harts;
    private final ServerSocket listener;
    private final Thread thread;
    private volatile Socket client;
    private volatile GdbSession session;
    private volatile boolean closed;

    private GdbServer(Machine machine, List<Hart> harts, ServerSocket listener) {
        this.machine = machine;
        this.harts = harts;
        this.listener = listener;
        this.thread = Thread.ofPlatform().daemon().name(machine.name() + "-gdb").unstarted(this::acceptLoop);
    }

    /** Listens on 127.0.0.1:{@code port} (0: a free one) for {@code machine}, whose cores must be RISC-V harts. */
    public static GdbServer start(Machine machine, int port) throws IOException {
        List<Hart> harts = new ArrayList<>();
        for (Cpu c : machine.cpus()) {
            if (!(c instanceof Hart h)) throw new IllegalArgumentException("gdb: cpu " + c.id() + " is not a RISC-V hart");
            harts.add(h);
        }
        if (harts.isEmpty()) throw new IllegalArgumentException("gdb: machine '" + machine.name() + "' has no harts");
        if (port < 0 || port > 65535) throw new IllegalArgumentException("gdb: port must be 0..65535, was " + port);
        ServerSocket ss = new ServerSocket();
        ss.setReuseAddress(true);
        ss.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
        GdbServer server = new GdbServer(machine, List.copyOf(harts), ss);
        server.thread.start();
        log.info("gdb stub for machine {} on 127.0.0.1:{}", machine.name(), ss.getLocalPort());
        return server;
    }

    @Override public int port() { return listener.getLocalPort(); }

    private void acceptLoop() {
        while (!closed) {
            try (Socket s = listener.accept()) {
                s.setTcpNoDelay(true);
                client = s;
                log.info("gdb connected from {}", s.getRemoteSocketAddress());
                session = new GdbSession(machine, harts, new PacketChannel(s));
                session.serve();
                log.info("gdb disconnected");
            } catch (IOException e) {
                if (!closed) log.info("gdb connection ended: {}", e.getMessage());
            } finally {
                client = null;
                session = null;
            }
        }
    }

    @Override public void close() {
        if (closed) return;
        closed = true;
        // a continue that is waiting sees a guest exit within its poll interval: let it tell gdb ("W00") first
        long deadline = System.nanoTime() + 1_000_000_000L;
        try {
            for (GdbSession s = session; s != null && s.running && System.nanoTime() < deadline; s = session) Thread.sleep(5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            listener.close();
            Socket c = client;
            if (c != null) c.close();
        } catch (IOException e) {
            log.debug("closing the gdb stub", e);
        }
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override public String toString() {
        return "gdb stub for machine '" + machine.name() + "' on 127.0.0.1:" + port() + (closed ? " (closed)" : "")
                + " — connect with: gdb-multiarch -ex 'target remote 127.0.0.1:" + port() + "' FILE.elf";
    }
}
