package io.drydock.kernel.fdt;

/**
 * A part that describes itself in the board's device tree (a PCI host, a virtio-mmio slot). Offered as a
 * machine service; the board calls every contributor at power-on, after adding its own nodes.
 */
@FunctionalInterface
public interface DeviceTreeContributor {
    /**
     * @param fdt              the tree being built ("/soc" exists)
     * @param interruptParent  the phandle of the interrupt controller devices' {@code interrupts} refer to
     */
    void contribute(FdtBuilder fdt, int interruptParent);
}
