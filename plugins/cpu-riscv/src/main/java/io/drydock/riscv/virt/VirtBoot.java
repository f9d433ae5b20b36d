package io.drydock.riscv.virt;

import io.drydock.kernel.elf.ElfFormatException;
import io.drydock.kernel.elf.ElfImage;
import io.drydock.kernel.elf.ElfLoader;
import io.drydock.kernel.fdt.FdtBuilder;
import io.drydock.kernel.machine.MachineException;
import io.drydock.kernel.memory.GuestMemory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * Places firmware, kernel, initrd and device tree in guest RAM the way QEMU 7.2 does for
 * {@code -M virt -bios B -kernel K -initrd I -dtb D -append A} (hw/riscv/boot.c {@code riscv_load_firmware},
 * {@code riscv_calc_kernel_start_addr}, {@code riscv_load_kernel}, {@code riscv_load_initrd},
 * {@code riscv_load_fdt}; hw/riscv/virt.c {@code virt_machine_done}):
 * <ul>
 *   <li>firmware: an ELF at its physical addresses (it ends at its highest segment), else a raw binary at
 *       0x80000000; "none" loads nothing (firmware end = 0x80000000). With no choice given, a Linux
 *       {@code Image} kernel gets Debian's OpenSBI {@code fw_dynamic.bin} (QEMU would use its own bundled
 *       copy) and an ELF kernel gets none (QEMU's {@code -bios none}, Drydock's behaviour so far);</li>
 *   <li>kernel: an ELF at its physical addresses, entry = its lowest load address (not e_entry); anything
 *       else raw at the firmware end rounded up to 2 MiB (0x80200000 after OpenSBI). QEMU 7.2 does not read
 *       a Linux Image's header; Drydock reads it only to recognise the Image and check that it fits;</li>
 *   <li>initrd: at kernel entry + min(RAM / 2, 128 MiB); {@code linux,initrd-start/-end} in {@code /chosen}
 *       as 32-bit cells, as 7.2 writes them;</li>
 *   <li>device tree: the generated one, or the {@code -dtb} file with {@code bootargs} (when a command line
 *       is given) and the initrd properties set in its {@code /chosen}; placed below min(RAM end, 3 GiB);</li>
 *   <li>reset ROM at 0x1000 with {@code fw_dynamic_info.next_addr} = the kernel's entry, so OpenSBI's
 *       {@code fw_dynamic} jumps to the kernel.</li>
 * </ul>
 * Errors (a missing file, something that does not fit in RAM) are {@link MachineException}s naming the file.
 */
final class VirtBoot {
    private VirtBoot() {}

    /** Debian's {@code opensbi} package; the default firmware for a Linux Image. */
    static final Path DEBIAN_OPENSBI = Path.of("/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin");
    static final long MiB = 1L << 20;

    /** Where things landed: the device tree address goes to a1, the kernel entry into fw_dynamic_info. */
    record Layout(long firmwareEnd, long kernelEntry, long initrdStart, long initrdEnd, long fdt) {}

    /** What to boot (from the machine spec). {@code bios}: null or "default", "none", or a file. */
    record Request(String bios, Path kernel, Path initrd, Path dtb, String bootargs) {}

    static Layout load(GuestMemory memory, long ramBase, long ramSize, Request r, Supplier<FdtBuilder> generated) {
        long ramEnd = ramBase + ramSize;
        byte[] kernel = r.kernel() == null ? null : readFile("kernel", r.kernel());
        boolean kernelIsElf = kernel != null && isElf(kernel);
        LinuxImageHeader image = kernel == null || kernelIsElf ? null : LinuxImageHeader.parse(kernel);

        Path firmware = firmware(r.bios(), image != null);
        long firmwareEnd = ramBase;
        if (firmware != null) firmwareEnd = loadAnywhere("bios", firmware, readFile("bios", firmware), memory, ramBase, ramEnd);

        long kernelEntry = 0; // QEMU's kernel_entry without -kernel
        if (kernel != null) {
            long start = alignUp(firmwareEnd, 2 * MiB); // riscv_calc_kernel_start_addr, rv64
            if (kernelIsElf) {
                kernelEntry = loadElf("kernel", r.kernel(), kernel, memory);
            } else {
                long span = image != null ? Math.max(image.imageSize(), kernel.length) : kernel.length;
                if (start + span > ramEnd) {
                    throw new MachineException(String.format("riscv: kernel %s (%s bytes from 0x%x) does not fit in %d MiB of RAM",
                            r.kernel(), span, start, ramSize / MiB));
                }
                memory.write(start, kernel);
                kernelEntry = start;
            }
        }

        long initrdStart = 0, initrdEnd = 0;
        if (r.initrd() != null) {
            if (kernel == null) throw new MachineException("riscv: an initrd needs a kernel");
            byte[] rd = readFile("initrd", r.initrd());
            initrdStart = kernelEntry + Math.min(ramSize / 2, 128 * MiB);
            initrdEnd = initrdStart + rd.length;
            if (initrdStart < ramBase || initrdEnd > ramEnd) {
                throw new MachineException(String.format("riscv: initrd %s (%d bytes at 0x%x) does not fit in RAM", r.initrd(), rd.length, initrdStart));
            }
            memory.write(initrdStart, rd);
        }

        FdtBuilder fdt;
        if (r.dtb() != null) {
            try {
                fdt = FdtBuilder.parse(readFile("dtb", r.dtb()));
            } catch (IllegalArgumentException e) {
                throw new MachineException("riscv: --dtb " + r.dtb() + ": " + e.getMessage(), e);
            }
            if (r.bootargs() != null && !r.bootargs().isBlank()) fdt.root().child("chosen").prop("bootargs", r.bootargs());
        } else {
            fdt = generated.get();
        }
        if (r.initrd() != null) {
            fdt.root().child("chosen").prop("linux,initrd-start", (int) initrdStart).prop("linux,initrd-end", (int) initrdEnd);
        }
        byte[] blob = fdt.build();
        long fdtAddr = VirtDeviceTree.address(ramBase, ramSize, blob.length);
        if (initrdEnd > fdtAddr) {
            throw new MachineException(String.format("riscv: initrd %s ends at 0x%x, past the device tree at 0x%x: give more memory",
                    r.initrd(), initrdEnd, fdtAddr));
        }
        memory.write(fdtAddr, blob);
        return new Layout(firmwareEnd, kernelEntry, initrdStart, initrdEnd, fdtAddr);
    }

    /** The firmware file for a {@code bios} choice, or null for none. */
    static Path firmware(String bios, boolean linuxImage) {
        if (bios == null || bios.equals("default")) {
            if (!linuxImage) return null;
            if (!Files.isRegularFile(DEBIAN_OPENSBI)) {
                throw new MachineException("riscv: a Linux Image needs SBI firmware: install Debian's opensbi ("
                        + DEBIAN_OPENSBI + ") or give --bios FILE");
            }
            return DEBIAN_OPENSBI;
        }
        if (bios.equals("none")) return null;
        return Path.of(bios);
    }

    /** An ELF at its physical addresses (returns its end), else raw at {@code base} (returns base + size). */
    private static long loadAnywhere(String what, Path file, byte[] bytes, GuestMemory memory, long base, long ramEnd) {
        if (isElf(bytes)) {
            try {
                ElfImage elf = ElfImage.parse(bytes);
                checkRiscv(what, file, elf);
                return ElfLoader.load(elf, memory).highest();
            } catch (ElfFormatException e) {
                throw new MachineException("riscv: cannot load " + what + " " + file + ": " + e.getMessage(), e);
            }
        }
        if (base + bytes.length > ramEnd) throw new MachineException("riscv: " + what + " " + file + " does not fit in RAM");
        memory.write(base, bytes);
        return base + bytes.length;
    }

    private static long loadElf(String what, Path file, byte[] bytes, GuestMemory memory) {
        try {
            ElfImage elf = ElfImage.parse(bytes);
            checkRiscv(what, file, elf);
            return ElfLoader.load(elf, memory).lowest(); // "Use low address not ELF entry point" (boot.c)
        } catch (ElfFormatException e) {
            throw new MachineException("riscv: cannot load " + file + ": " + e.getMessage(), e);
        }
    }

    private static void checkRiscv(String what, Path file, ElfImage elf) {
        if (elf.machine() != ElfImage.EM_RISCV) {
            throw new MachineException("riscv: " + what + " " + file + " is not a RISC-V ELF (e_machine " + elf.machine() + ")");
        }
    }

    static boolean isElf(byte[] b) {
        return b.length >= 4 && b[0] == 0x7f && b[1] == 'E' && b[2] == 'L' && b[3] == 'F';
    }

    private static byte[] readFile(String what, Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new MachineException("riscv: cannot read " + what + " " + file + ": " + e.getMessage(), e);
        }
    }

    private static long alignUp(long v, long a) { return (v + a - 1) & -a; }

    /** QEMU 7.2's reset vector (riscv_setup_rom_reset_vec) and fw_dynamic_info (riscv_rom_copy_firmware_info). */
    static byte[] resetRom(long start, long fdt, long kernelEntry) {
        ByteBuffer b = ByteBuffer.allocate(0x58).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0x00000297);  // auipc t0, 0
        b.putInt(0x02828613);  // addi a2, t0, 40
        b.putInt(0xf1402573);  // csrr a0, mhartid
        b.putInt(0x0202b583);  // ld a1, 32(t0)
        b.putInt(0x0182b283);  // ld t0, 24(t0)
        b.putInt(0x00028067);  // jr t0
        b.putLong(start);      // 0x1018: start address
        b.putLong(fdt);        // 0x1020: fdt address
        b.putLong(0x4942534fL); // 0x1028: fw_dynamic_info.magic "OSBI"
        b.putLong(2);          // version
        b.putLong(kernelEntry); // next_addr
        b.putLong(1);          // next_mode: S
        b.putLong(0);          // options
        b.putLong(0);          // boot_hart
        return b.array();
    }
}
