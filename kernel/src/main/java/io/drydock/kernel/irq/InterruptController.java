package io.drydock.kernel.irq;

/**
 * The seam between devices and whatever turns their lines into hart interrupts (the PLIC on the RISC-V
 * `virt` board). The board provides one as a machine service; device plugins ask it for their line by the
 * source number the board's address map gives them.
 */
public interface InterruptController {
    /** "plic". */
    String name();

    /** Valid source numbers are 1 ≤ source < sources() (0 means "no interrupt" on the PLIC). */
    int sources();

    /**
     * The line for {@code source}. Lines are shared: two devices on one source see a wired-OR.
     *
     * @throws IllegalArgumentException for a source out of range
     */
    InterruptLine line(int source);
}
