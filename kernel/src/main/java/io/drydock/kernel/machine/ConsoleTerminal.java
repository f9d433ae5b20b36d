package io.drydock.kernel.machine;

import java.io.IOException;
import java.io.OutputStream;

/**
 * A terminal a {@link MachineConsole} can be attached to ({@link MachineConsole#attach()}): the shell gives
 * every machine it builds its own terminal, so {@code m.console().attach()} hands it the keyboard.
 *
 * <p>Called on the thread that runs {@code attach()}; only one attach at a time uses a terminal.
 */
public interface ConsoleTerminal {
    /**
     * Switches the terminal so every key arrives as typed: no line editing, no local echo, no signals
     * (Ctrl-C goes to the guest, as with telnet). Closing the handle restores the previous mode.
     */
    AutoCloseable raw() throws IOException;

    /** The next input byte within {@code timeoutMillis}: 0–255, {@link #TIMEOUT}, or -1 at end of input. */
    int read(long timeoutMillis) throws IOException;

    /** Where the guest's output is shown. */
    OutputStream output();

    int TIMEOUT = -2;
}
