package io.drydock.kernel.machine;

import io.drydock.kernel.bus.SystemBus;
import io.drydock.kernel.clock.Durations;
import io.drydock.kernel.clock.TimerScheduler;
import io.drydock.kernel.clock.VirtualClock;
import io.drydock.kernel.debug.DebugPoints;
import io.drydock.kernel.debug.DebugServer;
import io.drydock.kernel.debug.DebugServerProvider;
import io.drydock.kernel.debug.DebugStop;
import io.drydock.kernel.memory.GuestMemory;
import io.drydock.kernel.memory.Sizes;
import io.drydock.kernel.metrics.MetricsRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An assembled virtual machine: its cores, address map, devices, clock, console and metrics, and its
 * lifecycle — created → running ⇄ paused → stopped, and reset back to created.
 *
 * <p>Lifecycle methods are thread-safe and synchronous: when {@link #pause()} returns, no core runs.
 * Each core runs on its own platform thread. Guest-initiated exits and resets arrive from hart threads
 * through {@link MachineControl} and are carried out on a separate thread.
 */
public final class Machine implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Machine.class);

    /** A guest error a device could not serve, or a core failure. */
    public record Fault(Instant time, String component, String reason) {
        @Override public String toString() { return component + ": " + reason; }
    }

    private final MachineSpec spec;
    private final SystemBus bus;
    private final MetricsRegistry metrics;
    private final VirtualClock clock;
    private final TimerScheduler timers;
    private final MachineConsole console;
    private final Services services;
    private final List<Cpu> cpus;
    private final List<Resettable> resets;
    private final List<Resettable> powerOn;
    private final List<AutoCloseable> closeables;
    private final List<String> parts;
    private final Controls controls;
    private final DebugPoints debug;
    private final List<Fault> faults = new CopyOnWriteArrayList<>();
    private final Set<String> faultsLogged = new HashSet<>();

    private MachineState state = MachineState.CREATED;
    private boolean poweredOn;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean stopFlag;
    // Exit state has its own lock: hart threads report exits and failures while the lifecycle lock may be
    // held by a thread joining them.
    private final Object exitLock = new Object();
    private volatile Integer exitCode;
    private volatile String failure;
    private volatile boolean stopped;
    /** Bumped by every reset, so a stop requested before it (a guest exit) is not carried out after it. */
    private volatile long generation;
    /** Bumped by every start of the cores, so a debug stop reported in one run does not pause the next. */
    private volatile long runs;
    /** The debug stop a hart reported in this run (first wins), and the one that paused the machine. */
    private DebugStop reportedStop;
    private volatile DebugStop pausedBy;
    private boolean closed;

    Machine(MachineSpec spec, SystemBus bus, MetricsRegistry metrics, VirtualClock clock, TimerScheduler timers,
            MachineConsole console, Services services, List<Cpu> cpus, List<Resettable> resets,
            List<Resettable> powerOn, List<AutoCloseable> closeables, List<String> parts, Controls controls,
            DebugPoints debug) {
        this.spec = spec;
        this.bus = bus;
        this.metrics = metrics;
        this.clock = clock;
        this.timers = timers;
        this.console = console;
        this.services = services;
        this.cpus = cpus;
        this.resets = resets;
        this.powerOn = powerOn;
        this.closeables = new ArrayList<>(closeables); // plus debug servers started later
        this.parts = parts;
        this.controls = controls;
        this.debug = debug;
        controls.machine = this;
        for (Cpu cpu : cpus) {
            metrics.cumulativeGauge("cpu" + cpu.id() + ".instructions", "instructions retired by hart " + cpu.id(),
                    cpu::instructionsRetired);
        }
        metrics.cumulativeGauge("machine.instructions", "instructions retired by all harts", this::instructionsRetired);
    }

    // ---- what it is ----

    public String name() { return spec.name(); }

    public MachineSpec spec() { return spec; }

    public synchronized MachineState state() { return state; }

    public SystemBus bus() { return bus; }

    public GuestMemory memory() { return bus.memory(); }

    public MetricsRegistry metrics() { return metrics; }

    public VirtualClock clock() { return clock; }

    public MachineConsole console() { return console; }

    public Services services() { return services; }

    public List<Cpu> cpus() { return cpus; }

    public Cpu cpu(int id) {
        for (Cpu c : cpus) if (c.id() == id) return c;
        throw new IllegalArgumentException("no hart " + id + " (harts: 0.." + (cpus.size() - 1) + ")");
    }

    public List<Fault> faults() { return List.copyOf(faults); }

    public long instructionsRetired() {
        long n = 0;
        for (Cpu c : cpus) n += c.instructionsRetired();
        return n;
    }

    /** Breakpoints and watchpoints: the machine's, shared by every debugger, kept across boot, run and reset. */
    public DebugPoints debug() { return debug; }

    /** Why the machine is paused for a debugger (a breakpoint or watchpoint hit), or null. */
    public DebugStop debugStop() { return pausedBy; }

    /** True once the image is loaded and the cores are at their entry state (by {@link #powerOn()} or a start). */
    public synchronized boolean poweredOn() { return poweredOn; }

    /**
     * Starts the architecture's remote debugger (GDB's remote serial protocol) on 127.0.0.1:{@code port}
     * (0: a free port); it is closed with the machine. {@code target remote :PORT} in gdb connects.
     */
    public DebugServer gdb(int port) {
        checkOpen();
        DebugServerProvider p = services.require(DebugServerProvider.class, "gdb");
        try {
            DebugServer server = p.start(this, port);
            synchronized (this) { closeables.add(server); }
            return server;
        } catch (IOException e) {
            throw new MachineException("gdb: cannot listen on 127.0.0.1:" + port + ": " + e.getMessage(), e);
        }
    }

    /** The exit code the guest reported, or null while it has not exited. */
    public Integer exitCode() { return exitCode; }

    /** Why the machine failed (a core crashed), or null. */
    public String failure() { return failure; }

    // ---- lifecycle ----

    /** Starts a created machine (loading its image) or resumes a paused one. Returns this, for `machine {...}.boot()`. */
    public synchronized Machine start() {
        checkOpen();
        switch (state) {
            case RUNNING -> { return this; }
            case PAUSED -> { resume(); return this; }
            case STOPPED -> throw new MachineException("machine '" + name() + "' is stopped; reset() it to start again");
            case CREATED -> {
                powerOn();
                startCores();
                state = MachineState.RUNNING;
                console.machineRunning(true);
                log.info("machine {} started", name());
            }
        }
        return this;
    }

    /**
     * Loads the image and puts the cores at their entry state without starting them (the machine stays
     * CREATED), so a debugger can inspect and step from the first instruction. Does nothing when done already.
     */
    public synchronized Machine powerOn() {
        checkOpen();
        if (!poweredOn && state == MachineState.CREATED) {
            powerOn.forEach(Resettable::reset);
            poweredOn = true;
        }
        return this;
    }

    /** Same as {@link #start()}: the DSL's {@code .boot()}. */
    public Machine boot() { return start(); }

    public synchronized void pause() {
        checkOpen();
        if (state != MachineState.RUNNING) throw new MachineException("machine '" + name() + "' is " + state + ", not running");
        stopCores();
        state = MachineState.PAUSED;
    }

    /**
     * Pauses a running machine for a debugger that interrupted it (gdb's Ctrl-C): as {@link #pause()}, and
     * whoever waits in {@link #run} or {@link #waitForExit} gets the machine back, PAUSED with the
     * {@link DebugStop#interrupt} as the reason. Returns that stop, or null when the machine was not running.
     */
    public synchronized DebugStop interrupt(int cpu) {
        checkOpen();
        if (state != MachineState.RUNNING) return null;
        stopCores();
        state = MachineState.PAUSED;
        DebugStop stop = DebugStop.interrupt(cpu, cpus.stream().filter(c -> c.id() == cpu).findFirst().orElse(cpus.getFirst()).pc());
        log.info("machine {} paused: {}", name(), stop);
        synchronized (exitLock) {
            pausedBy = stop;
            exitLock.notifyAll();
        }
        return stop;
    }

    public synchronized void resume() {
        checkOpen();
        if (state != MachineState.PAUSED) throw new MachineException("machine '" + name() + "' is " + state + ", not paused");
        startCores();
        state = MachineState.RUNNING;
    }

    /** Stops the machine for good (until {@link #reset()}). */
    public synchronized void stop() {
        if (state == MachineState.STOPPED) return;
        stopCores();
        state = MachineState.STOPPED;
        console.machineRunning(false);
        synchronized (exitLock) {
            stopped = true;
            exitLock.notifyAll();
        }
    }

    /** Power cycle: stop, reset every device and core, reload the image, and start again if it was running. */
    public synchronized void reset() {
        checkOpen();
        boolean wasRunning = state == MachineState.RUNNING;
        stopCores();
        timers.clear();
        clock.reset();
        resets.forEach(Resettable::reset);
        cpus.forEach(Cpu::reset);
        powerOn.forEach(Resettable::reset);
        poweredOn = true;
        generation++;
        synchronized (exitLock) {
            exitCode = null;
            failure = null;
            stopped = false;
            pausedBy = null;
        }
        state = MachineState.CREATED;
        console.machineRunning(true);
        if (wasRunning) {
            startCores();
            state = MachineState.RUNNING;
        }
    }

    /**
     * Waits until the guest exits and returns its exit code.
     *
     * @throws MachineException on timeout, when a core failed, or when the machine was stopped without an exit code
     */
    public int waitForExit(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (exitLock) {
            // An exit or a failure is complete once the machine has stopped (its cores are joined), so that a
            // caller may reset() right after this returns.
            while (!stopped && pausedBy == null) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new MachineException("machine '" + name() + "' did not exit within " + Durations.format(timeout) + " ("
                            + instructionsRetired() + " instructions retired)");
                }
                try {
                    exitLock.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new MachineException("interrupted while waiting for machine '" + name() + "'", e);
                }
            }
        }
        DebugStop paused = pausedBy;
        if (!stopped && paused != null) throw new MachineException("machine '" + name() + "' paused: " + paused);
        if (failure != null) throw new MachineException("machine '" + name() + "' failed: " + failure);
        if (exitCode == null) throw new MachineException("machine '" + name() + "' was stopped without an exit code");
        return exitCode;
    }

    /**
     * Starts (or resumes) the machine and waits until the guest exits, a core fails, the machine is stopped,
     * or {@code timeout} passes (the machine then keeps running). Never throws for those: the result says
     * which, with the exit code and the console's last lines.
     *
     * @throws MachineException when the machine cannot start (stopped, closed) or the wait is interrupted
     */
    public RunResult run(Duration timeout) {
        long t0 = System.nanoTime();
        start();
        RunResult.Outcome outcome;
        String reason;
        try {
            waitForExit(timeout);
            outcome = RunResult.Outcome.EXITED;
            reason = "the guest exited";
        } catch (MachineException e) {
            if (Thread.currentThread().isInterrupted()) throw e;
            if (failure != null) {
                outcome = RunResult.Outcome.FAILED;
                reason = "failed: " + failure;
            } else if (exitCode == null && stopped) {
                outcome = RunResult.Outcome.STOPPED;
                reason = "stopped without an exit code";
            } else if (pausedBy != null) {
                outcome = RunResult.Outcome.PAUSED;
                reason = "paused: " + pausedBy;
            } else {
                outcome = RunResult.Outcome.TIMED_OUT;
                reason = "timed out after " + Durations.format(timeout);
            }
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - t0);
        return new RunResult(name(), outcome == RunResult.Outcome.EXITED ? exitCode : null, outcome, reason, elapsed,
                instructionsRetired(), console.tail(RunResult.TAIL_LINES));
    }

    /** {@link #run(Duration)} without a time limit (Ctrl-C in the shell interrupts the wait). */
    public RunResult run() { return run(Duration.ofDays(3650)); }

    @Override public synchronized void close() {
        if (closed) return;
        stop();
        closed = true;
        closeAll(closeables, log);
        timers.close();
        bus.closeAll();
    }

    private void checkOpen() {
        if (closed) throw new MachineException("machine '" + name() + "' is closed");
    }

    private void startCores() {
        synchronized (exitLock) {
            reportedStop = null;
            pausedBy = null;
            runs++;
        }
        stopFlag = false;
        clock.run();
        timers.poke();
        ExecutionControl control = new ExecutionControl() {
            @Override public boolean stopRequested() { return stopFlag; }

            @Override public void fail(String reason, Throwable cause) { coreFailed(reason, cause); }

            @Override public void debugStop(DebugStop stop) { debugStopped(stop); }
        };
        for (Cpu cpu : cpus) {
            Thread t = Thread.ofPlatform().name(name() + "-hart" + cpu.id()).unstarted(() -> {
                try {
                    cpu.run(control);
                } catch (Throwable e) {
                    coreFailed("hart " + cpu.id() + " crashed at pc 0x" + Long.toHexString(cpu.pc()) + ": " + e, e);
                }
            });
            threads.add(t);
            t.start();
        }
    }

    private void stopCores() {
        stopFlag = true;
        cpus.forEach(Cpu::wake);
        for (Thread t : threads) {
            if (t == Thread.currentThread()) continue;
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new MachineException("interrupted while stopping machine '" + name() + "'", e);
            }
        }
        threads.clear();
        clock.pause();
    }

    private void coreFailed(String reason, Throwable cause) {
        log.error("machine {}: {}", name(), reason, cause);
        faults.add(new Fault(Instant.now(), "cpu", reason));
        synchronized (exitLock) {
            if (failure == null) failure = reason;
            stopFlag = true;
            exitLock.notifyAll();
        }
        stopLater();
    }

    /** Stops the machine from another thread (the caller is a hart), unless a reset comes first. */
    private void stopLater() {
        long requestedIn = generation; // no lock: a hart must never wait for the lifecycle lock
        Thread.ofVirtual().start(() -> {
            synchronized (this) {
                if (generation == requestedIn) stop();
            }
        });
    }

    /** A hart stopped at a breakpoint or watchpoint: stop the other cores and pause (on another thread). */
    private void debugStopped(DebugStop stop) {
        long run;
        synchronized (exitLock) {
            if (stopFlag || reportedStop != null) return; // the run is already ending (an exit, a failure, another hart's stop)
            reportedStop = stop;
            stopFlag = true;
            run = runs;
        }
        Thread.ofVirtual().start(() -> {
            synchronized (this) {
                if (runs != run || state != MachineState.RUNNING) return;
                stopCores();
                state = MachineState.PAUSED;
                log.info("machine {} paused: {}", name(), stop);
                synchronized (exitLock) {
                    pausedBy = stop;
                    exitLock.notifyAll();
                }
            }
        });
    }

    private void guestExit(int code) {
        synchronized (exitLock) {
            if (exitCode != null || stopped) return;
            exitCode = code;
            stopFlag = true;
            exitLock.notifyAll();
        }
        log.info("machine {}: guest exited with code {}", name(), code);
        stopLater();
    }

    private void guestReset() {
        stopFlag = true;
        Thread.ofVirtual().start(() -> {
            synchronized (this) {
                if (state == MachineState.RUNNING) reset();
            }
        });
    }

    private void deviceFault(String component, String reason) {
        faults.add(new Fault(Instant.now(), component, reason));
        synchronized (faultsLogged) {
            if (faultsLogged.add(component + "\0" + reason)) log.warn("machine {}: {}: {}", name(), component, reason);
        }
    }

    static void closeAll(List<AutoCloseable> closeables, Logger log) {
        for (AutoCloseable c : closeables.reversed()) {
            try {
                c.close();
            } catch (Exception e) {
                log.warn("closing {} failed", c, e);
            }
        }
    }

    /** The {@link MachineControl} devices receive at assembly; bound to its machine when the machine is built. */
    static final class Controls implements MachineControl {
        private volatile Machine machine;

        @Override public void requestExit(int code) { bound().guestExit(code); }

        @Override public void requestReset() { bound().guestReset(); }

        @Override public void reportFault(String component, String reason) { bound().deviceFault(component, reason); }

        private Machine bound() {
            Machine m = machine;
            if (m == null) throw new IllegalStateException("the machine is still being assembled");
            return m;
        }
    }

    @Override public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append("machine '").append(name()).append("' ").append(state());
        if (exitCode != null) sb.append(" (exit code ").append(exitCode).append(')');
        if (pausedBy != null && state() == MachineState.PAUSED) sb.append(" (").append(pausedBy).append(')');
        if (failure != null) sb.append(" (failed: ").append(failure).append(')');
        sb.append("\n  memory ").append(Sizes.format(spec.memoryBytes()));
        if (spec.bios() != null) sb.append(", bios ").append(spec.bios());
        if (spec.kernel() != null) sb.append(", kernel ").append(spec.kernel());
        if (spec.initrd() != null) sb.append(", initrd ").append(spec.initrd());
        if (spec.dtb() != null) sb.append(", dtb ").append(spec.dtb());
        if (!spec.bootargs().isBlank()) sb.append(", append '").append(spec.bootargs()).append('\'');
        for (String p : parts) sb.append("\n  ").append(p);
        for (Cpu c : cpus) sb.append("\n  ").append(c.summary());
        sb.append(String.format("%n  %,d instructions retired, %d faults", instructionsRetired(), faults.size()));
        return sb.toString();
    }
}
