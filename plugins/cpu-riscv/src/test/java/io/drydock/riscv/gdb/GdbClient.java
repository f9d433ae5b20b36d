package io.drydock.riscv.gdb;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A minimal gdb remote-protocol client for tests: sends packets, reads replies, checks acks. */
final class GdbClient implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    GdbClient(int port) throws IOException {
        socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(20_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    static String frame(String payload) {
        int sum = 0;
        for (char c : payload.toCharArray()) sum += c;
        return "$" + payload + "#" + String.format("%02x", sum & 0xff);
    }

    /** Sends raw bytes (a framed packet, a corrupt one, or 0x03). */
    void raw(String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** The next acknowledgement character ('+' or '-'). */
    char ack() throws IOException {
        int c = in.read();
        if (c != '+' && c != '-') throw new IOException("expected an ack, got " + c);
        return (char) c;
    }

    /** Sends a packet, expects '+', and returns the reply's payload. */
    String ask(String payload) throws IOException {
        raw(frame(payload));
        char a = ack();
        if (a != '+') throw new IOException("packet NAKed: " + payload);
        return reply();
    }

    /** Reads one reply packet, checks its checksum, acknowledges it. */
    String reply() throws IOException {
        int c;
        while ((c = in.read()) != '$') if (c < 0) throw new IOException("closed");
        StringBuilder sb = new StringBuilder();
        int sum = 0;
        while ((c = in.read()) != '#') {
            if (c < 0) throw new IOException("closed");
            sb.append((char) c);
            sum += c;
        }
        int cs = Integer.parseInt("" + (char) in.read() + (char) in.read(), 16);
        if (cs != (sum & 0xff)) throw new IOException("bad checksum in reply " + sb);
        raw("+");
        return sb.toString();
    }

    @Override public void close() throws IOException { socket.close(); }
}
