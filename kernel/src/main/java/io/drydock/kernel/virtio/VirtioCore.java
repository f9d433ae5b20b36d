package io.drydock.kernel.virtio;

import io.drydock.kernel.irq.InterruptLine;
import io.drydock.kernel.machine.MachineControl;
import io.drydock.kernel.memory.GuestMemory;
import io.drydock.kernel.memory.GuestMemoryException;
import io.drydock.kernel.metrics.Counter;
import io.drydock.kernel.metrics.MetricsRegistry;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static io.drydock.kernel.virtio.VirtioStatus.ACKNOWLEDGE;
import static io.drydock.kernel.virtio.VirtioStatus.DEVICE_NEEDS_RESET;
import static io.drydock.kernel.virtio.VirtioStatus.DRIVER;
import static io.drydock.kernel.virtio.VirtioStatus.DRIVER_OK;
import static io.drydock.kernel.virtio.VirtioStatus.FAILED;
import static io.drydock.kernel.virtio.VirtioStatus.FEATURES_OK;

/**
 * The transport-independent half of every virtio device: the device status state machine and feature
 * negotiation (virtio 1.2 §2.1, §2.2, §3.1.1), written once; the driver's queue registers; configuration
 * access with its generation counter (§2.5); the interrupt status (ISR bit 0 used buffer, bit 1
 * configuration change, §4.1.4.5 / §4.2.2) driving one level-triggered line; the device's lifecycle
 * ({@link DeviceLifecycle}); and NEEDS_RESET on guest errors (§2.1.2), counted in
 * {@code virtio.NAME.needs_reset} and reported once per episode to the machine's fault log.
 *
 * <p>Transports call the register methods on hart threads (the core synchronises); queue index arguments
 * are checked here — an absent queue reads as 0 and ignores writes. Lock order: core, then a queue, then
 * the interrupt lock; the fault and interrupt paths never take the core lock, so request workers holding
 * a queue lock cannot deadlock with a hart writing a register.
 */
public final class VirtioCore {
    private static final int MAX_DRIVER_STATUS = ACKNOWLEDGE | DRIVER | FEATURES_OK | DRIVER_OK | FAILED;

    /** The driver-written registers of one queue (virtio 1.2 §4.1.4.3 queue_*, §4.2.2 Queue*). */
    private static final class QueueRegs {
        final int max;
        final QueueMetrics metrics;
        int size;
        boolean ready;
        long desc, avail, used;

        QueueRegs(int max, QueueMetrics metrics) {
            this.max = max;
            this.metrics = metrics;
            this.size = max;
        }

        void reset() {
            size = max; // §4.1.4.3.2: on reset queue_size holds the maximum
            ready = false;
            desc = avail = used = 0;
        }
    }

    private final VirtioDevice device;
    private final String name;
    private final GuestMemory memory;
    private final InterruptLine line;
    private final MachineControl control;
    private final long offered;
    private final QueueRegs[] queues;
    private final Counter needsResetCount;
    private final Counter configInterrupts;
    private final AtomicInteger generation = new AtomicInteger();

    // register state, guarded by this
    private int status;
    private long driverFeatures;
    private volatile DeviceLifecycle lifecycle = DeviceLifecycle.INACTIVE;

    // fault state: volatile / own lock (see class comment)
    private final Object faultLock = new Object();
    private volatile boolean needsReset;
    private volatile boolean driverOk;
    private volatile String lastFault;

    // interrupt state
    private final Object isrLock = new Object();
    private int isr;

    /**
     * @param device  the device
     * @param name    unique per machine; names metrics ("virtio.NAME.*", "virtq.NAME.N.*") and faults
     * @param memory  guest memory the device will get at activation
     * @param line    the level-triggered interrupt the ISR drives (the transport's INTx or PLIC line)
     * @param metrics the machine's registry
     * @param control where guest faults are reported
     */
    public VirtioCore(VirtioDevice device, String name, GuestMemory memory, InterruptLine line, MetricsRegistry metrics,
                      MachineControl control) {
        this.device = device;
        this.name = name;
        this.memory = memory;
        this.line = line;
        this.control = control;
        long f = device.deviceFeatures();
        this.offered = (f & ~VirtioFeatures.TRANSPORT_RANGE) | (f & VirtioFeatures.CORE_SUPPORTED)
                | VirtioFeatures.bit(VirtioFeatures.VERSION_1);
        int n = device.numQueues();
        if (n < 0 || n > 0xffff) throw new IllegalArgumentException(name + ": bad queue count " + n);
        this.queues = new QueueRegs[n];
        for (int q = 0; q < n; q++) {
            int max = device.maxQueueSize(q);
            if (max <= 0 || max > SplitQueueLayout.MAX_SIZE || Integer.bitCount(max) != 1) {
                throw new IllegalArgumentException(name + ": queue " + q + " maximum size must be a power of two ≤ 32768, was " + max);
            }
            queues[q] = new QueueRegs(max, QueueMetrics.register(metrics, name, q));
        }
        this.needsResetCount = metrics.counter("virtio." + name + ".needs_reset", "times " + name + " entered DEVICE_NEEDS_RESET");
        this.configInterrupts = metrics.counter("virtio." + name + ".config_interrupts", "configuration change interrupts of " + name);
    }

    public VirtioDevice device() { return device; }

    public String name() { return name; }

    public DeviceLifecycle lifecycle() { return lifecycle; }

    // ---- features (virtio 1.2 §2.2) ----

    /** Every feature bit offered to the driver. */
    public long offeredFeatures() { return offered; }

    /** The 32-bit window {@code select} of the offered features (0: bits 0–31, 1: 32–63, others 0). */
    public int deviceFeatures(int select) { return window(offered, select); }

    public synchronized int driverFeatures(int select) { return window(driverFeatures, select); }

    public synchronized long driverFeatures() { return driverFeatures; }

    /** A driver write of feature window {@code select}; ignored once FEATURES_OK is set (§3.1.1 step 5). */
    public synchronized void setDriverFeatures(int select, int value) {
        if ((status & FEATURES_OK) != 0 || select < 0 || select > 1) return;
        long bits = Integer.toUnsignedLong(value) << (32 * select);
        long keep = 0xffff_ffffL << (32 * (1 - select));
        driverFeatures = (driverFeatures & keep) | bits;
    }

    private static int window(long bits, int select) {
        return switch (select) {
            case 0 -> (int) bits;
            case 1 -> (int) (bits >>> 32);
            default -> 0;
        };
    }

    // ---- status (virtio 1.2 §2.1, §3.1.1) ----

    /** The device status byte; DEVICE_NEEDS_RESET is the device's own bit. */
    public synchronized int status() { return status | (needsReset ? DEVICE_NEEDS_RESET : 0); }

    /**
     * A driver write of the status byte. 0 resets the device (§2.4). Setting FEATURES_OK checks the
     * negotiated features and leaves the bit clear when they are refused (§3.1.1 step 6): VERSION_1 is
     * required (this core is modern-only) and the driver may not accept bits that were not offered (§2.2.1).
     * Setting DRIVER_OK validates the enabled queues and activates the device. The driver cannot clear bits
     * other than by reset (§2.1.1: "driver MUST NOT clear a device status bit"), nor set NEEDS_RESET.
     */
    public synchronized void writeStatus(int value) {
        value &= 0xff;
        if (value == 0) {
            reset();
            return;
        }
        int next = status | (value & MAX_DRIVER_STATUS);
        int added = next & ~status;
        if ((added & FEATURES_OK) != 0 && !featuresAcceptable()) next &= ~FEATURES_OK;
        if ((added & DRIVER_OK) != 0) {
            status = next & ~DRIVER_OK;
            if ((next & FEATURES_OK) == 0) {
                fault(new VirtqueueFault(VirtqueueFault.DEVICE, VirtqueueError.DEVICE_ERROR, "DRIVER_OK without FEATURES_OK"));
                return;
            }
            if (!activate()) return;
        }
        status = next;
    }

    private boolean featuresAcceptable() {
        return VirtioFeatures.has(driverFeatures, VirtioFeatures.VERSION_1) && (driverFeatures & ~offered) == 0;
    }

    /** Validates every enabled queue and moves the device to Active; false when a queue was refused. */
    private boolean activate() {
        Virtqueue[] active = new Virtqueue[queues.length];
        for (int q = 0; q < queues.length; q++) {
            QueueRegs r = queues[q];
            if (!r.ready) continue;
            SplitQueueLayout layout = new SplitQueueLayout(r.size, r.desc, r.avail, r.used);
            VirtqueueFault bad = layout.check(q, r.max, memory);
            if (bad != null) {
                fault(bad);
                return false;
            }
            active[q] = new Virtqueue(q, layout, memory, driverFeatures, queueHost, r.metrics);
        }
        ActiveContext context = new ActiveContext(memory, driverFeatures, active, this);
        lifecycle = new DeviceLifecycle.Active(context);
        driverOk = true;
        device.activate(context);
        return true;
    }

    /** Device reset (status 0, or machine reset): the device returns to Inactive and every register to its reset value. */
    public synchronized void reset() {
        if (lifecycle instanceof DeviceLifecycle.Active(ActiveContext context)) {
            for (Virtqueue q : context.queues()) q.kill();
            lifecycle = DeviceLifecycle.INACTIVE;
            device.reset();
        }
        driverOk = false;
        synchronized (faultLock) {
            needsReset = false;
        }
        status = 0;
        driverFeatures = 0;
        for (QueueRegs r : queues) r.reset();
        synchronized (isrLock) {
            isr = 0;
            line.set(false);
        }
    }

    // ---- queues (virtio 1.2 §4.1.4.3, §4.2.2) ----

    public int numQueues() { return queues.length; }

    private QueueRegs regs(int q) { return q >= 0 && q < queues.length ? queues[q] : null; }

    /** True when the driver may still program queue registers (before DRIVER_OK). */
    private boolean configurable(QueueRegs r) { return r != null && (status & DRIVER_OK) == 0; }

    /** The maximum size of queue {@code q}; 0 when absent (§4.1.4.3: "0 ... the queue is unavailable"). */
    public synchronized int queueMaxSize(int q) { QueueRegs r = regs(q); return r == null ? 0 : r.max; }

    public synchronized int queueSize(int q) { QueueRegs r = regs(q); return r == null ? 0 : r.size; }

    /** Stores the driver's size; validated at DRIVER_OK ({@link SplitQueueLayout#check}). */
    public synchronized void setQueueSize(int q, int size) { QueueRegs r = regs(q); if (configurable(r)) r.size = size & 0xffff; }

    public synchronized boolean queueReady(int q) { QueueRegs r = regs(q); return r != null && r.ready; }

    public synchronized void setQueueReady(int q, boolean ready) { QueueRegs r = regs(q); if (configurable(r)) r.ready = ready; }

    public synchronized long queueDesc(int q) { QueueRegs r = regs(q); return r == null ? 0 : r.desc; }

    public synchronized long queueAvail(int q) { QueueRegs r = regs(q); return r == null ? 0 : r.avail; }

    public synchronized long queueUsed(int q) { QueueRegs r = regs(q); return r == null ? 0 : r.used; }

    public synchronized void setQueueDesc(int q, long addr) { QueueRegs r = regs(q); if (configurable(r)) r.desc = addr; }

    public synchronized void setQueueAvail(int q, long addr) { QueueRegs r = regs(q); if (configurable(r)) r.avail = addr; }

    public synchronized void setQueueUsed(int q, long addr) { QueueRegs r = regs(q); if (configurable(r)) r.used = addr; }

    /**
     * The driver notified queue {@code q} (a write to its notify address: one guest MMIO exit, counted).
     * Hands the queue to the device when active; guest errors end as NEEDS_RESET, never as exceptions.
     */
    public void notify(int q) {
        QueueRegs r;
        synchronized (this) {
            r = regs(q);
        }
        if (r == null) return;
        r.metrics.notifications().increment();
        if (lifecycle instanceof DeviceLifecycle.Active(ActiveContext context)) {
            Virtqueue vq = context.queue(q);
            if (vq == null || vq.broken() || !vq.alive()) return;
            try {
                device.queueNotified(vq);
            } catch (VirtqueueException e) {
                // already reported
            } catch (GuestMemoryException e) {
                fault(new VirtqueueFault(q, VirtqueueError.ADDRESS_OUT_OF_RAM, e.getMessage()));
            }
        }
    }

    // ---- configuration space (virtio 1.2 §2.5) ----

    public int configGeneration() { return generation.get() & 0xff; }

    /** Reads device configuration; outside the device's space reads 0 (the one bounds check). */
    public synchronized long readConfig(int offset, int size) {
        if (offset < 0 || size <= 0 || offset > device.configSize() - size) return 0;
        return device.readConfig(offset, size);
    }

    public synchronized void writeConfig(int offset, int size, long value) {
        if (offset < 0 || size <= 0 || offset > device.configSize() - size) return;
        device.writeConfig(offset, size, value);
    }

    /** The device changed its configuration: new generation, and a configuration change interrupt when live. */
    void configChanged() {
        generation.incrementAndGet();
        if (driverOk) raise(2);
    }

    // ---- interrupts ----

    /** PCI ISR read (§4.1.4.5): returns the bits and clears them, de-asserting the line. */
    public int readIsrAndClear() {
        synchronized (isrLock) {
            int v = isr;
            isr = 0;
            line.set(false);
            return v;
        }
    }

    /** MMIO InterruptStatus (§4.2.2). */
    public int isr() {
        synchronized (isrLock) {
            return isr;
        }
    }

    /** MMIO InterruptACK (§4.2.2): clears {@code bits}; the line follows what is left. */
    public void ackIsr(int bits) {
        synchronized (isrLock) {
            isr &= ~bits;
            line.set(isr != 0);
        }
    }

    private void raise(int bit) {
        if (bit == 2) configInterrupts.increment();
        synchronized (isrLock) {
            isr |= bit;
            line.set(true);
        }
    }

    /** {@link ActiveContext#usedBuffersElsewhere}: an out-of-process backend completed chains of {@code queue}. */
    void externalInterrupt(Virtqueue queue) {
        queue.metrics().interrupts().increment();
        raise(1);
    }

    private final Virtqueue.Host queueHost = new Virtqueue.Host() {
        @Override public void usedBufferInterrupt(Virtqueue queue) { raise(1); }

        @Override public VirtqueueException fault(VirtqueueFault fault) { return VirtioCore.this.fault(fault); }
    };

    /**
     * Enters DEVICE_NEEDS_RESET for a guest error (virtio 1.2 §2.1.2): stops every queue, counts, reports
     * once per episode, and sends a configuration change notification when DRIVER_OK was set.
     */
    VirtqueueException fault(VirtqueueFault fault) {
        boolean first;
        synchronized (faultLock) {
            first = !needsReset;
            needsReset = true;
            if (first) lastFault = fault.toString();
        }
        if (first) {
            if (lifecycle instanceof DeviceLifecycle.Active(ActiveContext context)) {
                for (Virtqueue q : context.queues()) q.halt();
            }
            needsResetCount.increment();
            control.reportFault(name, fault.toString());
            if (driverOk) raise(2);
        }
        return new VirtqueueException(fault);
    }

    /** The fault that caused the last NEEDS_RESET, or null. */
    public String lastFault() { return lastFault; }

    // ---- inspection ----

    public synchronized VirtioSnapshot snapshot() {
        List<QueueSnapshot> qs = new ArrayList<>();
        ActiveContext context = lifecycle instanceof DeviceLifecycle.Active(ActiveContext c) ? c : null;
        for (int q = 0; q < queues.length; q++) {
            QueueRegs r = queues[q];
            Virtqueue vq = context == null ? null : context.queue(q);
            qs.add(vq != null ? vq.snapshot(r.max)
                    : QueueSnapshot.inactive(q, r.size, r.max, r.ready, r.desc, r.avail, r.used, r.metrics));
        }
        return new VirtioSnapshot(name, device.deviceId(), status(), offered, driverFeatures, configGeneration(), isr(),
                context != null, lastFault, needsResetCount.get(), qs);
    }

    @Override public String toString() { return snapshot().toString(); }
}
