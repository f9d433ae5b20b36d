package io.drydock.kernel.debug;

/** A running remote-debugger endpoint of one machine (the RISC-V plugin's GDB stub). Closed with the machine. */
public interface DebugServer extends AutoCloseable {
    /** The TCP port it listens on (on 127.0.0.1 only). */
    int port();

    /** Stops listening and drops a connected client; the machine keeps its state. Idempotent. */
    @Override void close();
}
