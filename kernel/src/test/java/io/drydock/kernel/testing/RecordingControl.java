package io.drydock.kernel.testing;

import io.drydock.kernel.machine.MachineControl;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link MachineControl} that records what devices ask of it. */
public final class RecordingControl implements MachineControl {
    public record Fault(String component, String reason) {}

    public final List<Fault> faults = new CopyOnWriteArrayList<>();
    public final List<Integer> exits = new CopyOnWriteArrayList<>();
    public volatile int resets;

    @Override public void requestExit(int code) { exits.add(code); }

    @Override public void requestReset() { resets++; }

    @Override public void reportFault(String component, String reason) { faults.add(new Fault(component, reason)); }
}
