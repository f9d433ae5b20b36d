package io.drydock.shell.repl;

import io.drydock.kernel.machine.ConsoleTerminal;
import org.jline.terminal.Attributes;
import org.jline.terminal.Terminal;
import org.jline.utils.NonBlockingReader;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;

/**
 * The REPL's JLine terminal as a {@link ConsoleTerminal}, for {@code m.console().attach()}: raw mode with
 * signals off (Ctrl-C reaches the guest; Ctrl-] detaches), keys read as UTF-8 bytes. Used on the
 * evaluating thread while the line reader is idle.
 */
final class JLineConsoleTerminal implements ConsoleTerminal {
    private final Terminal terminal;
    private final ArrayDeque<Byte> pending = new ArrayDeque<>();

    JLineConsoleTerminal(Terminal terminal) { this.terminal = terminal; }

    @Override public AutoCloseable raw() {
        terminal.flush();
        Attributes previous = terminal.enterRawMode();
        Attributes raw = terminal.getAttributes();
        raw.setLocalFlag(Attributes.LocalFlag.ISIG, false);
        terminal.setAttributes(raw);
        return () -> {
            terminal.setAttributes(previous);
            terminal.flush();
        };
    }

    @Override public int read(long timeoutMillis) throws IOException {
        Byte b = pending.poll();
        if (b != null) return b & 0xff;
        NonBlockingReader reader = terminal.reader();
        int c = reader.read(timeoutMillis);
        if (c == NonBlockingReader.READ_EXPIRED) return TIMEOUT;
        if (c < 0) return -1;
        if (c < 0x80) return c;
        String s = Character.isHighSurrogate((char) c) ? new String(new char[]{(char) c, (char) reader.read(timeoutMillis)})
                : String.valueOf((char) c);
        for (byte x : s.getBytes(StandardCharsets.UTF_8)) pending.add(x);
        return pending.poll() & 0xff;
    }

    @Override public OutputStream output() { return terminal.output(); }
}
