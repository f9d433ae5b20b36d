package io.drydock.riscv.gdb;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * The framing of GDB's remote serial protocol over one connection (gdb manual, "Overview" of Appendix E):
 * {@code $payload#cs} packets with a modulo-256 checksum, {@code +}/{@code -} acknowledgements until
 * {@code QStartNoAckMode}, and the out-of-band interrupt byte 0x03.
 *
 * <p>The client is not trusted: a packet longer than {@link #MAX_PAYLOAD} or with a wrong checksum is
 * answered with {@code -} (the client resends) and never reaches the command code. Used by one thread.
 */
final class PacketChannel {
    /** Longest payload accepted; qSupported announces it as PacketSize. */
    static final int MAX_PAYLOAD = 0x4000;
    /** The payload {@link #read} returns for an interrupt (Ctrl-C) byte. */
    static final String INTERRUPT = "\u0003";

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private boolean acks = true;
    private byte[] last;

    PacketChannel(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /** After the OK reply to QStartNoAckMode, neither side acknowledges. */
    void stopAcks() { acks = false; }

    /** The next packet's payload (or {@link #INTERRUPT}), or null when the client hung up. */
    String read() throws IOException {
        while (true) {
            int c = in.read();
            if (c < 0) return null;
            switch (c) {
                case '+' -> { }
                case '-' -> resend();
                case 0x03 -> { return INTERRUPT; }
                case '$' -> {
                    String p = body();
                    if (p != null) return p;
                }
                default -> { } // noise between packets is ignored, as gdb's own stubs do
            }
        }
    }

    /** The rest of a packet after '$': its payload, or null (after a NAK) when it was too long or corrupt. */
    private String body() throws IOException {
        StringBuilder sb = new StringBuilder();
        int sum = 0;
        boolean tooLong = false;
        int c;
        while ((c = in.read()) != '#') {
            if (c < 0) throw new IOException("connection closed inside a packet");
            sum += c;
            if (sb.length() < MAX_PAYLOAD) sb.append((char) c);
            else tooLong = true;
        }
        int h = Character.digit(in.read(), 16), l = Character.digit(in.read(), 16);
        if (tooLong || h < 0 || l < 0 || ((h << 4) | l) != (sum & 0xff)) {
            if (acks) ack('-');
            return null;
        }
        if (acks) ack('+');
        return sb.toString();
    }

    private void ack(char c) throws IOException {
        out.write(c);
        out.flush();
    }

    private void resend() throws IOException {
        if (last != null) {
            out.write(last);
            out.flush();
        }
    }

    /** Sends one reply packet (payload in ISO-8859-1: hex text, or raw bytes for qXfer). */
    void send(String payload) throws IOException {
        byte[] p = payload.getBytes(StandardCharsets.ISO_8859_1);
        StringBuilder sb = new StringBuilder(p.length + 4).append('$');
        int sum = 0;
        for (byte b : p) {
            int c = b & 0xff;
            if (c == '$' || c == '#' || c == '}' || c == '*') { // escape (gdb manual E.1, "Binary data")
                sb.append('}');
                sum += '}';
                c ^= 0x20;
            }
            sb.append((char) c);
            sum += c;
        }
        sb.append('#').append(String.format("%02x", sum & 0xff));
        last = sb.toString().getBytes(StandardCharsets.ISO_8859_1);
        out.write(last);
        out.flush();
    }

    /**
     * While the target runs: waits up to {@code millis} for the client's interrupt byte. True when it came;
     * false on timeout. Other bytes (acks) are consumed; a hang-up throws.
     */
    boolean awaitInterrupt(int millis) throws IOException {
        socket.setSoTimeout(millis);
        try {
            while (true) {
                int c = in.read();
                if (c < 0) throw new IOException("gdb hung up while the target ran");
                if (c == 0x03) return true;
                if (c == '$') body(); // a packet while running is not expected in all-stop mode: acknowledged and dropped
            }
        } catch (SocketTimeoutException e) {
            return false;
        } finally {
            socket.setSoTimeout(0);
        }
    }
}
