package io.drydock.shell;

import io.drydock.kernel.machine.MachineSpec;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code scripts/run}'s QEMU-style boot options beside {@code --kernel}: {@code --bios}, {@code --initrd},
 * {@code --dtb} (the board places them as QEMU 7.2's hw/riscv/boot.c does). A group of {@link RunMain}'s
 * options, kept apart so that RunMain's other options can change without touching these.
 */
final class BootOptions {
    String bios;
    Path initrd;
    Path dtb;

    /** The options, for RunMain's table; files are relative to the caller's working directory. */
    static CommandOptions<RunMain> options(CommandOptions<RunMain> o) {
        return o.value("--bios", "FILE|none|default",
                        "firmware: an ELF, or a raw binary at 0x80000000; 'none' for none (default: Debian's OpenSBI fw_dynamic for a Linux Image, none for an ELF)",
                        (r, v) -> r.boot.bios = v.equals("none") || v.equals("default") ? v : r.io().path(v).toString())
                .value("--initrd", "FILE", "initial RAM disk (cpio) for the kernel, as qemu -initrd", (r, v) -> r.boot.initrd = r.io().path(v))
                .value("--dtb", "FILE", "a device tree blob instead of the generated one (bootargs and initrd are set in its /chosen)",
                        (r, v) -> r.boot.dtb = r.io().path(v));
    }

    /** Puts the options into the spec; {@code kernel} is RunMain's --kernel (null: the unikernel). */
    void apply(MachineSpec spec, Path kernel) {
        if (kernel == null && (initrd != null || dtb != null || bios != null)) {
            throw new IllegalArgumentException("--bios, --initrd and --dtb go with --kernel");
        }
        if (bios != null && !bios.equals("none") && !bios.equals("default") && !Files.isRegularFile(Path.of(bios))) {
            throw new IllegalArgumentException("--bios " + bios + ": no such file");
        }
        if (initrd != null && !Files.isRegularFile(initrd)) throw new IllegalArgumentException("--initrd " + initrd + ": no such file");
        if (dtb != null && !Files.isRegularFile(dtb)) throw new IllegalArgumentException("--dtb " + dtb + ": no such file");
        spec.bios(bios).initrd(initrd).dtb(dtb);
    }
}
