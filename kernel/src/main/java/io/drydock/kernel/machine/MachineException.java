package io.drydock.kernel.machine;

/** A machine that cannot be assembled, started or waited for, with the reason in user terms. */
public class MachineException extends RuntimeException {
    public MachineException(String message) { super(message); }

    public MachineException(String message, Throwable cause) { super(message, cause); }
}
