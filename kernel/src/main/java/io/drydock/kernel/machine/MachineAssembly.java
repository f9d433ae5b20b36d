package io.drydock.kernel.machine;

import io.drydock.kernel.bus.MemoryMap;
import io.drydock.kernel.bus.SystemBus;
import io.drydock.kernel.clock.TimerScheduler;
import io.drydock.kernel.clock.VirtualClock;
import io.drydock.kernel.debug.DebugPoints;
import io.drydock.kernel.memory.GuestMemory;
import io.drydock.kernel.metrics.MetricsRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * The machine under construction, as parts see it while they {@link MachinePart#assemble assemble}: the
 * address map, guest memory, metrics, clock and timers, console, the services other parts offer, the
 * plugins' extensions, and the places to register cores, reset handlers and resources to close. Used on the
 * assembling thread only.
 */
public final class MachineAssembly {
    private static final Logger log = LoggerFactory.getLogger(MachineAssembly.class);

    private final MachineSpec spec;
    private final MetricsRegistry metrics = new MetricsRegistry();
    private final SystemBus bus = new SystemBus(metrics);
    private final VirtualClock clock = new VirtualClock();
    private final TimerScheduler timers;
    private final MachineConsole console = new MachineConsole();
    private final Services services = new Services();
    private final List<Cpu> cpus = new ArrayList<>();
    private final List<Resettable> resets = new ArrayList<>();
    private final List<Resettable> powerOn = new ArrayList<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final List<String> descriptions = new ArrayList<>();
    private final Machine.Controls controls = new Machine.Controls();
    private final DebugPoints debugPoints = new DebugPoints();

    MachineAssembly(MachineSpec spec) {
        this.spec = spec;
        this.timers = new TimerScheduler(clock, spec.name());
    }

    void assemble(MachinePart part) {
        part.assemble(this);
        descriptions.add(part.describe());
    }

    Machine finish() {
        return new Machine(spec, bus, metrics, clock, timers, console, services, List.copyOf(cpus),
                List.copyOf(resets), List.copyOf(powerOn), List.copyOf(closeables), List.copyOf(descriptions), controls, debugPoints);
    }

    void abandon() {
        Machine.closeAll(closeables, log);
        timers.close();
        bus.closeAll();
    }

    public MachineSpec spec() { return spec; }

    /** The provider side of the address map (boards, buses, the DAX window). */
    public MemoryMap memoryMap() { return bus; }

    /** The bus as harts access it. */
    public SystemBus bus() { return bus; }

    /** Guest-physical memory as devices see it (checked). */
    public GuestMemory memory() { return bus.memory(); }

    public MetricsRegistry metrics() { return metrics; }

    public VirtualClock clock() { return clock; }

    public TimerScheduler timers() { return timers; }

    public MachineConsole console() { return console; }

    public Services services() { return services; }

    /**
     * The plugins' extensions (PF4J's lookup behind the shell): how a part finds another plugin's
     * implementation of an extension point, e.g. the DAX window factory. See {@link Extensions}.
     */
    public Extensions extensions() { return spec.extensions(); }

    /** Lets devices stop, reset or report faults of the finished machine. */
    public MachineControl control() { return controls; }

    /** The machine's breakpoints and watchpoints, for its cores to check (see {@link Machine#debug()}). */
    public DebugPoints debugPoints() { return debugPoints; }

    public void addCpu(Cpu cpu) { cpus.add(cpu); }

    /** {@code r} runs at every machine reset, before the power-on handlers. */
    public void onReset(Resettable r) { resets.add(r); }

    /**
     * {@code r} runs before the first start and after every reset, after the reset handlers: the board loads
     * the guest image, writes the device tree and sets the entry state here.
     */
    public void onPowerOn(Resettable r) { powerOn.add(r); }

    /** Closed (in reverse order) when the machine is closed. */
    public void closeOnShutdown(AutoCloseable c) { closeables.add(c); }
}
