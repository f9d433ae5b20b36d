package io.drydock.kernel.spi;

import io.drydock.kernel.machine.MachinePart;
import io.drydock.kernel.machine.Options;
import org.pf4j.ExtensionPoint;

import java.util.List;

/**
 * A word of the machine DSL, contributed by a plugin: inside {@code machine { ... }} the shell turns
 * {@code riscv harts: 2} into {@code create(options{harts: 2}, [])} of the word named "riscv" and adds the
 * returned part to the machine. CPU/board plugins return a {@link MachinePart.Phase#BOARD} part, device
 * plugins a DEVICE part, guest-image plugins a part that {@link MachinePart#configure configures} the
 * kernel and command line.
 *
 * <p>Called on the shell's evaluation thread. Throw {@link IllegalArgumentException} with a short
 * user-facing message for bad options (use {@link Options#finish()} to reject unknown ones).
 */
public interface MachineWord extends ExtensionPoint {
    /** The word as typed: a Groovy identifier, e.g. "riscv", "virtioFs". */
    String name();

    /** One line for {@code :help}: usage and meaning. */
    String help();

    /**
     * @param options the named arguments ({@code tag: 'x'})
     * @param args    positional arguments ({@code kernel 'x.elf'} gives ["x.elf"])
     */
    MachinePart create(Options options, List<Object> args);
}
