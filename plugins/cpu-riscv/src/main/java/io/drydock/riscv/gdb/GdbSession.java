package io.drydock.riscv.gdb;

import io.drydock.kernel.debug.DebugPoints;
import io.drydock.kernel.debug.DebugPoints.WatchKind;
import io.drydock.kernel.debug.DebugPoints.Watchpoint;
import io.drydock.kernel.debug.DebugStop;
import io.drydock.kernel.machine.Machine;
import io.drydock.kernel.machine.MachineException;
import io.drydock.kernel.machine.MachineState;
import io.drydock.riscv.Hart;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * One gdb connection: the commands of GDB's remote serial protocol (gdb manual, Appendix E "Packets",
 * "General Query Packets", "Stop Reply Packets") on one machine, in all-stop mode. Threads are harts
 * (thread id = hart id + 1). Breakpoints and watchpoints go to the machine's {@link DebugPoints}; those
 * this connection added are removed when it ends. Single steps run the selected hart alone on this
 * thread; continue runs the whole machine until a hart reports a stop, the guest exits, or gdb sends
 * Ctrl-C.
 *
 * <p>Every malformed packet gets an error reply ({@code E01}: syntax, {@code E14}: memory, {@code E22}:
 * an argument out of range) or the empty reply for an unsupported one; nothing a client sends ends the
 * session except a hang-up, {@code k} or {@code D}.
 */
final class GdbSession {
    private static final Logger log = LoggerFactory.getLogger(GdbSession.class);
    private static final HexFormat HEX = HexFormat.of();
    /** Longest memory read or write per packet (bytes; hex doubles it within PacketSize). */
    private static final int MAX_MEMORY = PacketChannel.MAX_PAYLOAD / 2 - 32;

    private final Machine machine;
    private final List<Hart> harts;
    private final PacketChannel channel;
    private final DebugPoints points;
    private final Set<Long> myBreakpoints = new HashSet<>();
    private final Set<Watchpoint> myWatchpoints = new HashSet<>();
    /** The hart that register and memory packets address (Hg), and the last stop reply (for '?'). */
    private Hart current;
    private String lastStop;
    /** True while a continue waits for the machine to stop (the server lets it report an exit before closing). */
    volatile boolean running;

    GdbSession(Machine machine, List<Hart> harts, PacketChannel channel) {
        this.machine = machine;
        this.harts = harts;
        this.channel = channel;
        this.points = machine.debug();
        this.current = harts.getFirst();
        this.lastStop = stopReply(5, current, "");
    }

    /** Serves until the client hangs up, detaches or kills. The target is stopped first, as gdb expects at connect. */
    void serve() throws IOException {
        haltIfRunning();
        try {
            String packet;
            while ((packet = channel.read()) != null) {
                // gdb thinks the target stopped; if the shell resumed it meanwhile (m.run()), stop it again
                if (packet.equals(PacketChannel.INTERRUPT)) { machine.interrupt(current.id()); continue; }
                Reply r;
                try {
                    r = handle(packet);
                } catch (RuntimeException e) { // a packet we failed to parse or serve: an error reply, never a crash
                    log.debug("gdb packet '{}' failed", packet, e);
                    r = Reply.of("E01");
                }
                if (r.text != null) channel.send(r.text);
                if (r.end) return;
            }
        } finally {
            myBreakpoints.forEach(points::removeBreakpoint);
            myWatchpoints.forEach(points::removeWatchpoint);
        }
    }

    private record Reply(String text, boolean end) {
        static Reply of(String t) { return new Reply(t, false); }
    }

    private Reply handle(String p) throws IOException {
        if (p.isEmpty()) return Reply.of("");
        char cmd = p.charAt(0);
        String a = p.substring(1);
        return switch (cmd) {
            case '?' -> Reply.of(lastStop);
            case 'q' -> Reply.of(query(a));
            case 'Q' -> {
                if (a.equals("StartNoAckMode")) {
                    channel.send("OK");
                    channel.stopAcks();
                    yield new Reply(null, false);
                }
                yield Reply.of("");
            }
            case 'H' -> Reply.of(selectThread(a));
            case 'T' -> Reply.of(hartOf(a) != null ? "OK" : "E22");
            case 'g' -> Reply.of(readAllRegisters());
            case 'G' -> Reply.of(writeAllRegisters(a));
            case 'p' -> Reply.of(readRegister(Integer.parseInt(a, 16)));
            case 'P' -> Reply.of(writeRegister(a));
            case 'm' -> Reply.of(readMemory(a));
            case 'M' -> Reply.of(writeMemory(a));
            case 'Z', 'z' -> Reply.of(point(cmd == 'Z', a));
            case 'c', 'C' -> Reply.of(resumeAt(cmd, a) ? proceed() : "E22");
            case 's', 'S' -> Reply.of(resumeAt(cmd, a) ? step(current) : "E22");
            case 'v' -> vPacket(a);
            case 'D' -> {
                channel.send("OK");
                releaseAndRun();
                yield new Reply(null, true);
            }
            case 'k' -> {
                machine.stop();
                yield new Reply(null, true);
            }
            default -> Reply.of(""); // not supported (X, !, R, ...): gdb falls back or reports it
        };
    }

    // ---- queries ----

    private String query(String a) {
        if (a.startsWith("Supported")) {
            return "PacketSize=" + Integer.toHexString(PacketChannel.MAX_PAYLOAD)
                    + ";qXfer:features:read+;vContSupported+;QStartNoAckMode+";
        }
        if (a.startsWith("Xfer:features:read:")) return features(a.substring("Xfer:features:read:".length()));
        if (a.equals("Attached")) return "1";
        if (a.equals("C")) return "QC" + Integer.toHexString(tid(current));
        if (a.equals("fThreadInfo")) {
            StringBuilder sb = new StringBuilder("m");
            for (Hart h : harts) sb.append(sb.length() > 1 ? "," : "").append(Integer.toHexString(tid(h)));
            return sb.toString();
        }
        if (a.equals("sThreadInfo")) return "l";
        if (a.startsWith("ThreadExtraInfo,")) {
            Hart h = hartOf(a.substring("ThreadExtraInfo,".length()));
            if (h == null) return "E22";
            String mode = switch (h.privilege()) { case 3 -> "M"; case 1 -> "S"; default -> "U"; };
            return HEX.formatHex(("hart " + h.id() + " (" + mode + "-mode)").getBytes());
        }
        if (a.startsWith("Symbol")) return "OK";
        return "";
    }

    /** {@code target.xml:OFFSET,LENGTH} → 'm' + part, or 'l' + the last part (gdb manual, "qXfer:features:read"). */
    private String features(String a) {
        int colon = a.indexOf(':'), comma = a.indexOf(',', colon);
        if (colon < 0 || comma < 0) return "E01";
        if (!a.substring(0, colon).equals("target.xml")) return "E00";
        int off = Integer.parseInt(a.substring(colon + 1, comma), 16), len = Integer.parseInt(a.substring(comma + 1), 16);
        String xml = TargetDescription.XML;
        if (off < 0 || len < 0) return "E22";
        if (off >= xml.length()) return "l";
        int end = (int) Math.min(xml.length(), (long) off + Math.min(len, MAX_MEMORY));
        return (end == xml.length() ? "l" : "m") + xml.substring(off, end);
    }

    // ---- threads ----

    private static int tid(Hart h) { return h.id() + 1; }

    /** A thread id (hex; "p1.2" multiprocess form accepted) → its hart, or null. */
    private Hart hartOf(String s) {
        int dot = s.indexOf('.');
        if (s.startsWith("p") && dot > 0) s = s.substring(dot + 1);
        int t = Integer.parseInt(s, 16);
        for (Hart h : harts) if (tid(h) == t) return h;
        return null;
    }

    private String selectThread(String a) {
        if (a.length() < 2) return "E01";
        String id = a.substring(1);
        if (id.equals("0") || id.equals("-1")) return "OK"; // any / all: keep the current one
        Hart h = hartOf(id);
        if (h == null) return "E22";
        if (a.charAt(0) == 'g') current = h;
        return "OK";
    }

    // ---- registers ----

    private String readAllRegisters() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 32; i++) sb.append(le(current.x(i), 8));
        sb.append(le(current.pc(), 8));
        return sb.toString();
    }

    private String writeAllRegisters(String hex) {
        if (hex.length() < 33 * 16) return "E01";
        for (int i = 1; i < 32; i++) current.setX(i, parseLe(hex.substring(i * 16, i * 16 + 16)));
        current.setPc(parseLe(hex.substring(32 * 16, 33 * 16)));
        return "OK";
    }

    private String readRegister(int n) {
        int size = TargetDescription.size(n);
        try {
            if (n < 32) return le(current.x(n), 8);
            if (n == TargetDescription.PC) return le(current.pc(), 8);
            if (n < TargetDescription.FIRST_CSR) return le(current.f(n - TargetDescription.FIRST_FP), 8);
            if (n == TargetDescription.PRIV) return le(current.privilege(), 8);
            if (n < TargetDescription.PRIV) return le(current.csr(n - TargetDescription.FIRST_CSR), size);
        } catch (IllegalArgumentException e) {
            return "x".repeat(2 * size); // not available now (an FP CSR with the FPU off, an absent CSR)
        }
        return "E22";
    }

    private String writeRegister(String a) {
        int eq = a.indexOf('=');
        if (eq < 0) return "E01";
        int n = Integer.parseInt(a.substring(0, eq), 16);
        String v = a.substring(eq + 1);
        if (v.length() != 2 * TargetDescription.size(n)) return "E01";
        long value = parseLe(v);
        if (n < 32) current.setX(n, value);
        else if (n == TargetDescription.PC) current.setPc(value);
        else if (n < TargetDescription.FIRST_CSR) current.setF(n - TargetDescription.FIRST_FP, value);
        else if (n < TargetDescription.PRIV) {
            try {
                current.setCsr(n - TargetDescription.FIRST_CSR, value);
            } catch (IllegalArgumentException e) {
                return "E22";
            }
        } else return "E22"; // priv is read-only here
        return "OK";
    }

    private static String le(long v, int bytes) {
        StringBuilder sb = new StringBuilder(bytes * 2);
        for (int i = 0; i < bytes; i++) sb.append(HEX.toHexDigits((byte) (v >>> (8 * i))));
        return sb.toString();
    }

    private static long parseLe(String hex) {
        if (hex.length() > 16 || (hex.length() & 1) != 0) throw new IllegalArgumentException("bad register value " + hex);
        long v = 0;
        for (int i = 0; i < hex.length() / 2; i++) v |= (long) HEX.fromHexDigits(hex, 2 * i, 2 * i + 2) << (8 * i);
        return v;
    }

    // ---- memory ----

    private String readMemory(String a) {
        int comma = a.indexOf(',');
        if (comma < 0) return "E01";
        long addr = Long.parseUnsignedLong(a.substring(0, comma), 16);
        int len = Integer.parseInt(a.substring(comma + 1), 16);
        if (len < 0) return "E22";
        len = Math.min(len, MAX_MEMORY);
        StringBuilder sb = new StringBuilder(2 * len);
        byte[] one = new byte[1];
        for (int i = 0; i < len; i++) {
            if (!current.debugRead(addr + i, one)) break; // a short reply is allowed (gdb asks again for the rest)
            sb.append(HEX.toHexDigits(one[0]));
        }
        return sb.isEmpty() && len > 0 ? "E14" : sb.toString();
    }

    private String writeMemory(String a) {
        int comma = a.indexOf(','), colon = a.indexOf(':');
        if (comma < 0 || colon < comma) return "E01";
        long addr = Long.parseUnsignedLong(a.substring(0, comma), 16);
        int len = Integer.parseInt(a.substring(comma + 1, colon), 16);
        String data = a.substring(colon + 1);
        if (len < 0 || len > MAX_MEMORY || data.length() != 2 * len) return "E01";
        return current.debugWrite(addr, HEX.parseHex(data)) ? "OK" : "E14";
    }

    // ---- breakpoints and watchpoints ----

    /** Z/z TYPE,ADDR,KIND: 0 software and 1 hardware breakpoints (both checked by pc), 2 write, 3 read, 4 access watchpoints. */
    private String point(boolean insert, String a) {
        String[] f = a.split("[,;]");
        if (f.length < 3) return "E01";
        int type = Integer.parseInt(f[0]);
        long addr = Long.parseUnsignedLong(f[1], 16);
        int kind = Integer.parseInt(f[2], 16);
        switch (type) {
            case 0, 1 -> {
                if (insert) {
                    if (points.addBreakpoint(addr)) myBreakpoints.add(addr);
                } else if (myBreakpoints.remove(addr)) {
                    points.removeBreakpoint(addr);
                }
            }
            case 2, 3, 4 -> {
                if (kind < 1 || kind > 4096) return "E22";
                Watchpoint w = new Watchpoint(addr, kind, type == 2 ? WatchKind.WRITE : type == 3 ? WatchKind.READ : WatchKind.ACCESS);
                if (insert) {
                    if (points.addWatchpoint(w)) myWatchpoints.add(w);
                } else if (myWatchpoints.remove(w)) {
                    points.removeWatchpoint(w);
                }
            }
            default -> { return ""; }
        }
        return "OK";
    }

    // ---- execution ----

    /** c/s [ADDR] and C/S SIG[;ADDR]: sets pc when an address is given. False when it does not parse. */
    private boolean resumeAt(char cmd, String a) {
        String addr = a;
        if (cmd == 'C' || cmd == 'S') {
            int semi = a.indexOf(';');
            addr = semi < 0 ? "" : a.substring(semi + 1); // the signal is ignored: a hart has no signals
        }
        if (!addr.isEmpty()) current.setPc(Long.parseUnsignedLong(addr, 16));
        return true;
    }

    private Reply vPacket(String a) throws IOException {
        if (a.equals("Cont?")) return Reply.of("vCont;c;C;s;S");
        if (a.startsWith("Cont;")) {
            // the first stepping action wins; any other action continues everything (all-stop mode)
            for (String action : a.substring(5).split(";")) {
                String[] f = action.split(":");
                char kind = f[0].isEmpty() ? '?' : f[0].charAt(0);
                if (kind == 's' || kind == 'S') {
                    Hart h = f.length > 1 ? hartOf(f[1]) : current;
                    if (h == null) return Reply.of("E22");
                    current = h;
                    return Reply.of(step(h));
                }
                if (kind != 'c' && kind != 'C') return Reply.of("E01");
            }
            return Reply.of(proceed());
        }
        if (a.startsWith("Kill")) {
            machine.stop();
            channel.send("OK");
            return new Reply(null, true);
        }
        return Reply.of(""); // vMustReplyEmpty and everything unsupported
    }

    /** One instruction on hart {@code h} alone (the machine is stopped). */
    private String step(Hart h) {
        if (machine.state() == MachineState.STOPPED) return exitReply();
        machine.powerOn();
        h.step(1);
        DebugStop s = h.stepStop();
        return lastStop = stopReply(5, h, s != null && s.reason() == DebugStop.Reason.WATCHPOINT ? watchField(s) : "");
    }

    /** Runs the machine until a hart stops for a point, the guest exits, or gdb interrupts; returns the stop reply. */
    private String proceed() throws IOException {
        running = true;
        try {
            if (machine.state() == MachineState.STOPPED) return exitReply();
            machine.start(); // powers on and starts a created machine, resumes a paused one
            while (true) {
                // exit code and failure first: they need no machine lock (Machine.close() holds it while closing us)
                if (machine.exitCode() != null || machine.failure() != null) return exitReply();
                MachineState st = machine.state();
                if (st == MachineState.STOPPED) return exitReply();
                if (st == MachineState.PAUSED) {
                    DebugStop s = machine.debugStop();
                    if (s == null) return lastStop = stopReply(2, current, ""); // paused by someone else: as an interrupt
                    current = harts.stream().filter(h -> h.id() == s.cpu()).findFirst().orElse(current);
                    if (s.reason() == DebugStop.Reason.INTERRUPT) return lastStop = stopReply(2, current, "");
                    return lastStop = stopReply(5, current, s.reason() == DebugStop.Reason.WATCHPOINT ? watchField(s) : "");
                }
                if (channel.awaitInterrupt(20)) {
                    // a pause with a reason: a run() waiting in the shell returns too, saying gdb interrupted it
                    if (machine.interrupt(current.id()) == null) haltIfRunning();
                    return lastStop = stopReply(2, current, ""); // SIGINT
                }
            }
        } catch (MachineException e) {
            log.info("gdb: cannot run machine {}: {}", machine.name(), e.getMessage());
            return "E22";
        } finally {
            running = false;
        }
    }

    private String exitReply() {
        Integer code = machine.exitCode();
        // W: exited with a status; X: ended by a signal (a core failed: SIGABRT) (gdb manual, "Stop Reply Packets")
        return lastStop = code != null ? String.format("W%02x", code & 0xff) : "X06";
    }

    private static String watchField(DebugStop s) {
        String name = switch (s.watchKind()) { case WRITE -> "watch"; case READ -> "rwatch"; case ACCESS -> "awatch"; };
        return name + ":" + Long.toHexString(s.address()) + ";";
    }

    private static String stopReply(int signal, Hart h, String extra) {
        return String.format("T%02x%sthread:%x;", signal, extra, tid(h));
    }

    private void haltIfRunning() {
        try {
            machine.powerOn(); // a created machine: load the image so gdb sees the entry state
            if (machine.state() == MachineState.RUNNING) machine.pause();
        } catch (MachineException e) {
            // it stopped by itself meanwhile (an exit): proceed() reports that
        }
    }

    /** After D: this connection's points go, and a stopped-for-gdb machine runs on. */
    private void releaseAndRun() {
        myBreakpoints.forEach(points::removeBreakpoint);
        myWatchpoints.forEach(points::removeWatchpoint);
        myBreakpoints.clear();
        myWatchpoints.clear();
        try {
            if (machine.state() == MachineState.PAUSED || (machine.state() == MachineState.CREATED && machine.poweredOn())) machine.start();
        } catch (MachineException e) {
            log.info("gdb detach: machine {} not resumed: {}", machine.name(), e.getMessage());
        }
    }
}
