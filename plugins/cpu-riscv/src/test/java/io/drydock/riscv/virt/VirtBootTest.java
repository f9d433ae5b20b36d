package io.drydock.riscv.virt;

import io.drydock.kernel.bus.SystemBus;
import io.drydock.kernel.fdt.FdtBuilder;
import io.drydock.kernel.memory.GuestMemory;
import io.drydock.kernel.memory.MemoryBacking;
import io.drydock.kernel.metrics.MetricsRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import io.drydock.kernel.machine.Machine;
import io.drydock.kernel.machine.MachineException;
import io.drydock.kernel.machine.MachineSpec;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.*;

/** Loading like QEMU 7.2's hw/riscv/boot.c: firmware, raw Linux Image, initrd, --dtb, fw_dynamic_info. */
class VirtBootTest {
    static final long MiB = 1L << 20, BASE = 0x8000_0000L, RAM = 128 * MiB;
    SystemBus bus;
    GuestMemory mem;

    @BeforeEach
    void setUp() throws IOException {
        bus = new SystemBus(new MetricsRegistry());
        bus.addRam("dram", BASE, MemoryBacking.anonymous(RAM));
        mem = bus.memory();
    }

    @AfterEach
    void tearDown() { bus.closeAll(); }

    VirtBoot.Layout load(String bios, Path kernel, Path initrd, Path dtb, String bootargs) {
        return VirtBoot.load(mem, BASE, RAM, new VirtBoot.Request(bios, kernel, initrd, dtb, bootargs),
                () -> VirtDeviceTree.tree(1, BASE, RAM, bootargs, java.util.List.of()));
    }

    /**
     * A minimal RISC-V Linux Image: the 64-byte header (jump over it, magic2 "RSC\x05"), then S-mode code that
     * prints "OK\n" through SBI's legacy console_putchar and powers off with SBI SRST (SBI 1.0 §10).
     */
    static byte[] tinyImage() {
        ByteBuffer b = ByteBuffer.allocate(0x100).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, 0x0400006f);                 // code0: j +64
        b.putLong(0x08, 0x200000);               // text_offset
        b.putLong(0x10, 0x100);                  // image_size
        b.putLong(0x30, LinuxImageHeader.MAGIC);
        b.putInt(0x38, LinuxImageHeader.MAGIC2);
        int[] code = {
                addi(17, 0, 1), addi(10, 0, 'O'), 0x73,       // a7 = 1 (console_putchar), ecall
                addi(10, 0, 'K'), 0x73, addi(10, 0, '\n'), 0x73,
                lui(17, 0x53525), addi(17, 17, 0x354),      // a7 = "SRST"
                addi(16, 0, 0), addi(10, 0, 0), addi(11, 0, 0), 0x73, // system_reset(shutdown, no reason)
                0x0000006f};                               // j . (not reached)
        for (int k = 0; k < code.length; k++) b.putInt(0x40 + 4 * k, code[k]);
        return b.array();
    }

    static int addi(int rd, int rs1, int imm) { return ((imm & 0xfff) << 20) | (rs1 << 15) | (rd << 7) | 0x13; }
    static int lui(int rd, int imm20) { return (imm20 << 12) | (rd << 7) | 0x37; }

    static Path write(Path dir, String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    @Test
    void recognisesTheImageHeader() {
        LinuxImageHeader h = LinuxImageHeader.parse(tinyImage());
        assertNotNull(h);
        assertEquals(0x200000, h.textOffset());
        assertNull(LinuxImageHeader.parse(new byte[64]));
    }

    @Test
    void rawFirmwareThenImageAtTheNext2MiBThenInitrdAndFwDynamicInfo(@TempDir Path dir) throws IOException {
        Path bios = write(dir, "fw.bin", new byte[0x1234]);
        Path kernel = write(dir, "Image", tinyImage());
        byte[] rd = "070701 a cpio, as far as the board cares".getBytes();
        Path initrd = write(dir, "rd.cpio", rd);
        VirtBoot.Layout l = load(bios.toString(), kernel, initrd, null, "console=ttyS0");
        assertEquals(0x8000_1234L, l.firmwareEnd());
        assertEquals(0x8020_0000L, l.kernelEntry(), "the Image sits at align_up(firmware end, 2 MiB)");
        assertEquals(0x0400006f, mem.read32(0x8020_0000L));
        long start = 0x8020_0000L + 64 * MiB; // kernel entry + min(RAM/2, 128 MiB)
        assertEquals(start, l.initrdStart());
        byte[] got = new byte[rd.length];
        mem.read(start, got);
        assertArrayEquals(rd, got);
        FdtBuilder fdt = readFdt(l.fdt());
        assertEquals((int) start, ByteBuffer.wrap(fdt.find("/chosen").property("linux,initrd-start")).getInt());
        assertEquals((int) (start + rd.length), ByteBuffer.wrap(fdt.find("/chosen").property("linux,initrd-end")).getInt());
        assertArrayEquals("console=ttyS0\0".getBytes(), fdt.find("/chosen").property("bootargs"));
        ByteBuffer rom = ByteBuffer.wrap(VirtBoot.resetRom(BASE, l.fdt(), l.kernelEntry())).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0x8020_0000L, rom.getLong(0x28 + 16), "fw_dynamic_info.next_addr = the kernel");
        assertEquals(1, rom.getLong(0x28 + 24), "next_mode S");
    }

    @Test
    void elfKernelWithBiosNoneStartsAtItsLowestAddress() {
        MachineSpec spec = new MachineSpec().bios("none").kernel(Path.of("guest/hello.elf")).add(new VirtBoard(1));
        try (Machine m = spec.build()) {
            assertEquals(0, m.run(Duration.ofSeconds(30)).exitCode());
            assertEquals(0x8000_0000L, m.memory().read64(0x1028 + 16));
        }
    }

    @Test
    void dtbFileReplacesTheGeneratedTreeAndGetsBootargsAndInitrd(@TempDir Path dir) throws IOException {
        FdtBuilder mine = new FdtBuilder();
        mine.root().prop("model", "my board");
        mine.root().child("chosen").prop("bootargs", "old");
        Path dtb = write(dir, "my.dtb", mine.build());
        Path initrd = write(dir, "rd", new byte[100]);
        VirtBoot.Layout l = load("none", write(dir, "Image", tinyImage()), initrd, dtb, "new args");
        assertEquals(BASE, l.kernelEntry(), "with no firmware the Image goes to the start of RAM");
        FdtBuilder fdt = readFdt(l.fdt());
        assertArrayEquals("my board\0".getBytes(), fdt.root().property("model"));
        assertArrayEquals("new args\0".getBytes(), fdt.find("/chosen").property("bootargs"));
        assertNotNull(fdt.find("/chosen").property("linux,initrd-start"));
        assertNull(fdt.find("/cpus"), "nothing of the generated tree");
    }

    @Test
    void tooLargeOrMissingFilesAreNamed(@TempDir Path dir) throws IOException {
        Path initrd = write(dir, "big", new byte[(int) (70 * MiB)]);
        Path image = write(dir, "Image", tinyImage());
        MachineException e = assertThrows(MachineException.class, () -> load("none", image, initrd, null, ""));
        assertTrue(e.getMessage().contains("big"), e.getMessage());
        e = assertThrows(MachineException.class, () -> load(dir.resolve("nope.bin").toString(), image, null, null, ""));
        assertTrue(e.getMessage().contains("nope.bin"), e.getMessage());
        Path dtb = write(dir, "bad.dtb", new byte[64]);
        e = assertThrows(MachineException.class, () -> load("none", image, null, dtb, ""));
        assertTrue(e.getMessage().contains("bad.dtb") && e.getMessage().contains("magic"), e.getMessage());
    }

    @Test
    void debiansOpenSbiFwDynamicBootsAnImageByDefault(@TempDir Path dir) throws IOException {
        Assumptions.assumeTrue(Files.isRegularFile(VirtBoot.DEBIAN_OPENSBI), "Debian's opensbi is not installed; CI installs it");
        for (int harts : new int[]{1, 2}) {
            MachineSpec spec = new MachineSpec().kernel(write(dir, "Image", tinyImage())).add(new VirtBoard(harts));
            try (Machine m = spec.build()) {
                assertEquals(0, m.run(Duration.ofSeconds(60)).exitCode(), m.console().output());
                String out = m.console().output();
                assertTrue(out.contains("OpenSBI v"), out);
                assertTrue(out.contains("Domain0 Next Address      : 0x0000000080200000"), out);
                assertTrue(out.replace("\r", "").endsWith("OK\n"), out); // OpenSBI puts \r before \n
            }
        }
    }

    FdtBuilder readFdt(long at) {
        byte[] head = new byte[8];
        mem.read(at, head);
        byte[] blob = new byte[ByteBuffer.wrap(head).getInt(4)];
        mem.read(at, blob);
        return FdtBuilder.parse(blob);
    }
}
