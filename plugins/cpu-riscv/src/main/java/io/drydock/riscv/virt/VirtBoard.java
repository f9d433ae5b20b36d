package io.drydock.riscv.virt;

import io.drydock.kernel.debug.DebugServerProvider;
import io.drydock.kernel.fdt.DeviceTreeContributor;
import io.drydock.kernel.irq.InterruptController;
import io.drydock.kernel.machine.MachineAssembly;
import io.drydock.kernel.machine.MachineException;
import io.drydock.kernel.machine.MachinePart;
import io.drydock.kernel.memory.GuestMemory;
import io.drydock.kernel.memory.MemoryBacking;
import io.drydock.riscv.Hart;
import io.drydock.riscv.gdb.GdbServer;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The `virt` board at QEMU 7.2's addresses: DRAM at 0x80000000, the reset ROM at 0x1000, CLINT, PLIC,
 * UART0, sifive_test and the goldfish RTC, with N harts.
 *
 * <p>Entry: firmware, kernel, initrd and device tree are placed as QEMU 7.2 places them ({@link VirtBoot}:
 * {@code -bios none -kernel X.elf} for a bare ELF, OpenSBI + a Linux {@code Image}); every hart starts at
 * 0x80000000 in M-mode (not at e_entry) with a0 = hart id, a1 = the device tree's address, a2 = 0x1028,
 * the fw_dynamic_info QEMU's reset ROM holds (magic "OSBI", version 2, next_addr = the kernel's entry,
 * next_mode S), and t0 = 0x80000000 as the ROM leaves it. The ROM's six reset instructions are present at
 * 0x1000 too, but harts start past them.
 */
public final class VirtBoard implements MachinePart {
    public static final long DRAM_BASE = 0x8000_0000L;
    public static final long MROM_BASE = 0x1000, MROM_SIZE = 0xf000;

    private final int hartCount;
    private final List<Hart> harts = new ArrayList<>();
    private Clint clint;
    private Plic plic;

    public VirtBoard(int harts) {
        if (harts < 1 || harts > 64) throw new IllegalArgumentException("riscv: harts must be 1..64, was " + harts);
        this.hartCount = harts;
    }

    @Override public Phase phase() { return Phase.BOARD; }

    @Override public String describe() { return "riscv virt board, " + hartCount + " hart" + (hartCount > 1 ? "s" : "") + " (rv64imafdc, sv39)"; }

    /** The harts, after assembly. */
    public List<Hart> harts() { return List.copyOf(harts); }

    public Clint clint() { return clint; }

    public Plic plic() { return plic; }

    @Override public void assemble(MachineAssembly m) {
        long ramSize = m.spec().memoryBytes();
        try {
            // a vhost-user backend maps guest RAM itself: then it lives in a memfd (MachineSpec.sharedRam)
            m.memoryMap().addRam("dram", DRAM_BASE, m.spec().sharedRam()
                    ? MemoryBacking.sharedFile("drydock-" + m.spec().name() + "-dram", ramSize) : MemoryBacking.anonymous(ramSize));
            m.memoryMap().addRam("mrom", MROM_BASE, MemoryBacking.anonymous(MROM_SIZE));
        } catch (IOException e) {
            throw new MachineException("riscv: cannot allocate " + ramSize + " bytes of guest RAM: " + e.getMessage(), e);
        }
        List<Hart> hs = new ArrayList<>();
        clint = new Clint(hs, hartCount, m.clock(), m.timers());
        for (int i = 0; i < hartCount; i++) {
            Hart h = new Hart(i, m.bus(), clint::mtime);
            h.setResetPc(DRAM_BASE);
            h.attachDebug(m.debugPoints());
            hs.add(h);
            m.addCpu(h);
        }
        harts.addAll(hs);
        plic = new Plic(hs);
        m.services().add(InterruptController.class, plic);
        m.services().add(DebugServerProvider.class, GdbServer::start);
        var uart = new Uart16550(m.console(), plic.line(Uart16550.IRQ));
        var test = new SifiveTest(m.control());
        var rtc = new GoldfishRtc(plic.line(GoldfishRtc.IRQ), m.clock(), m.timers());
        m.memoryMap().addDevice("test", SifiveTest.BASE, SifiveTest.SIZE, test);
        m.memoryMap().addDevice("rtc", GoldfishRtc.BASE, GoldfishRtc.SIZE, rtc);
        m.memoryMap().addDevice("clint", Clint.BASE, Clint.SIZE, clint);
        m.memoryMap().addDevice("plic", Plic.BASE, Plic.SIZE, plic);
        m.memoryMap().addDevice("uart0", Uart16550.BASE, Uart16550.SIZE, uart);
        m.onReset(() -> {
            clint.reset();
            plic.reset();
            uart.reset();
            rtc.reset();
        });
        var memory = m.memory();
        var spec = m.spec();
        var services = m.services();
        m.onPowerOn(() -> powerOn(memory, ramSize, new VirtBoot.Request(spec.bios(), spec.kernel(), spec.initrd(), spec.dtb(),
                spec.bootargs()), services.all(DeviceTreeContributor.class)));
    }

    private void powerOn(GuestMemory memory, long ramSize, VirtBoot.Request request, List<DeviceTreeContributor> contributors) {
        VirtBoot.Layout layout = VirtBoot.load(memory, DRAM_BASE, ramSize, request,
                () -> VirtDeviceTree.tree(hartCount, DRAM_BASE, ramSize, request.bootargs(), contributors));
        long fdt = layout.fdt();
        memory.write(MROM_BASE, VirtBoot.resetRom(DRAM_BASE, fdt, layout.kernelEntry()));
        for (Hart h : harts) {
            h.reset();
            h.setX(10, h.id());      // a0 = mhartid
            h.setX(11, fdt);         // a1 = device tree
            h.setX(12, MROM_BASE + 0x28); // a2 = fw_dynamic_info
            h.setX(5, DRAM_BASE);    // t0, as the reset ROM leaves it
        }
    }
}
