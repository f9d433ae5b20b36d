package io.drydock.riscv.virt;

import io.drydock.kernel.fdt.DeviceTreeContributor;
import io.drydock.kernel.fdt.FdtBuilder;

import java.util.List;

/**
 * The device tree of the virt board, mirroring what QEMU 7.2 generates for `-M virt` (hw/riscv/virt.c,
 * create_fdt_*): memory, cpus with their interrupt controllers, chosen, the SoC devices and the
 * poweroff/reboot syscon nodes; then every {@link DeviceTreeContributor} adds its nodes.
 */
final class VirtDeviceTree {
    private VirtDeviceTree() {}

    static final String ISA = "rv64imafdc_zicsr_zifencei";

    static byte[] build(int harts, long ramBase, long ramSize, String bootargs, List<DeviceTreeContributor> contributors) {
        return tree(harts, ramBase, ramSize, bootargs, contributors).build();
    }

    /** The tree before it is written, so the boot loader can add {@code /chosen} properties (initrd). */
    static FdtBuilder tree(int harts, long ramBase, long ramSize, String bootargs, List<DeviceTreeContributor> contributors) {
        FdtBuilder fdt = new FdtBuilder();
        FdtBuilder.Node root = fdt.root();
        root.prop("#address-cells", 2).prop("#size-cells", 2);
        root.prop("compatible", "riscv-virtio").prop("model", "riscv-virtio,qemu");

        FdtBuilder.Node chosen = root.child("chosen");
        if (bootargs != null && !bootargs.isBlank()) chosen.prop("bootargs", bootargs);
        chosen.prop("stdout-path", "/soc/serial@10000000");

        root.child("memory@" + Long.toHexString(ramBase)).prop("device_type", "memory").propLongs("reg", ramBase, ramSize);

        FdtBuilder.Node cpus = root.child("cpus");
        cpus.prop("#address-cells", 1).prop("#size-cells", 0).prop("timebase-frequency", (int) Clint.FREQUENCY);
        int[] intc = new int[harts];
        int[] cpuPh = new int[harts];
        for (int h = 0; h < harts; h++) {
            FdtBuilder.Node cpu = cpus.child("cpu@" + h);
            cpuPh[h] = cpu.phandle();
            cpu.prop("device_type", "cpu").prop("reg", h).prop("status", "okay").prop("compatible", "riscv")
                    .prop("riscv,isa", ISA).prop("mmu-type", "riscv,sv39");
            FdtBuilder.Node ic = cpu.child("interrupt-controller");
            ic.prop("#interrupt-cells", 1).flag("interrupt-controller").prop("compatible", "riscv,cpu-intc");
            intc[h] = ic.phandle();
        }
        FdtBuilder.Node cluster = cpus.child("cpu-map").child("cluster0");
        for (int h = 0; h < harts; h++) cluster.child("core" + h).prop("cpu", cpuPh[h]);

        FdtBuilder.Node soc = root.child("soc");
        soc.prop("#address-cells", 2).prop("#size-cells", 2).prop("compatible", "simple-bus").flag("ranges");

        FdtBuilder.Node test = soc.child("test@" + Long.toHexString(SifiveTest.BASE));
        test.prop("compatible", "sifive,test1", "sifive,test0", "syscon").propLongs("reg", SifiveTest.BASE, SifiveTest.SIZE);
        int testPh = test.phandle();

        int[] clintIrqs = new int[harts * 4];
        int[] plicIrqs = new int[harts * 4];
        for (int h = 0; h < harts; h++) {
            clintIrqs[4 * h] = intc[h]; clintIrqs[4 * h + 1] = 3;   // MSIP
            clintIrqs[4 * h + 2] = intc[h]; clintIrqs[4 * h + 3] = 7; // MTIP
            plicIrqs[4 * h] = intc[h]; plicIrqs[4 * h + 1] = 11;    // M external
            plicIrqs[4 * h + 2] = intc[h]; plicIrqs[4 * h + 3] = 9;  // S external
        }
        FdtBuilder.Node plic = soc.child("plic@" + Long.toHexString(Plic.BASE));
        int plicPh = plic.phandle();
        plic.prop("#interrupt-cells", 1).prop("#address-cells", 0)
                .prop("compatible", "sifive,plic-1.0.0", "riscv,plic0").flag("interrupt-controller")
                .propLongs("reg", Plic.BASE, Plic.SIZE).prop("riscv,ndev", Plic.SOURCES)
                .prop("interrupts-extended", plicIrqs);

        soc.child("clint@" + Long.toHexString(Clint.BASE))
                .prop("compatible", "sifive,clint0", "riscv,clint0").propLongs("reg", Clint.BASE, Clint.SIZE)
                .prop("interrupts-extended", clintIrqs);

        soc.child("serial@" + Long.toHexString(Uart16550.BASE))
                .prop("compatible", "ns16550a").propLongs("reg", Uart16550.BASE, Uart16550.SIZE)
                .prop("clock-frequency", 3686400).prop("interrupt-parent", plicPh).prop("interrupts", Uart16550.IRQ);

        soc.child("rtc@" + Long.toHexString(GoldfishRtc.BASE))
                .prop("compatible", "google,goldfish-rtc").propLongs("reg", GoldfishRtc.BASE, GoldfishRtc.SIZE)
                .prop("interrupt-parent", plicPh).prop("interrupts", GoldfishRtc.IRQ);

        root.child("poweroff").prop("compatible", "syscon-poweroff").prop("regmap", testPh)
                .prop("offset", 0).prop("value", SifiveTest.PASS);
        root.child("reboot").prop("compatible", "syscon-reboot").prop("regmap", testPh)
                .prop("offset", 0).prop("value", SifiveTest.RESET);

        for (DeviceTreeContributor c : contributors) c.contribute(fdt, plicPh);
        return fdt;
    }

    /** Where QEMU 7.2 puts the tree (hw/riscv/boot.c riscv_compute_fdt_addr): ALIGN_DOWN(MIN(dram_end, 3 GiB) − size, 2 MiB). */
    static long address(long ramBase, long ramSize, int fdtSize) {
        long top = Math.min(ramBase + ramSize, 0xC000_0000L);
        return (top - fdtSize) & ~((2L << 20) - 1);
    }
}
