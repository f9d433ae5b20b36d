package io.drydock.kernel.machine;

/** created → running ⇄ paused → stopped. A stopped machine can be reset to created and started again. */
public enum MachineState { CREATED, RUNNING, PAUSED, STOPPED }
