package io.drydock.kernel.debug;

import io.drydock.kernel.machine.Machine;

import java.io.IOException;

/**
 * The architecture's remote-debugger protocol, offered by the board as a machine service during assembly
 * ({@code services().add(DebugServerProvider.class, ...)}); {@link Machine#gdb(int)} finds it there, so the
 * kernel and the shell name no architecture.
 */
public interface DebugServerProvider {
    /**
     * Starts listening on 127.0.0.1:{@code port} (0: any free port) for {@code machine}; returns at once.
     * Called on the shell's thread; the server serves clients on its own thread.
     *
     * @throws IOException when the port cannot be bound
     */
    DebugServer start(Machine machine, int port) throws IOException;
}
