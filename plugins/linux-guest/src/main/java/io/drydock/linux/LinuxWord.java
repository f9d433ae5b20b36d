package io.drydock.linux;

import io.drydock.kernel.machine.MachineAssembly;
import io.drydock.kernel.machine.MachinePart;
import io.drydock.kernel.machine.MachineSpec;
import io.drydock.kernel.machine.Options;
import io.drydock.kernel.spi.MachineWord;
import org.pf4j.Extension;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The DSL word {@code linux mode: 'suite', tag: 'myfs', dax: 'always', args: 'quiet'}: boots Drydock's Linux
 * guest (a 6.12 kernel Image and an initramfs with our test init, built and cached by build.sh) on the board's
 * default firmware (Debian's OpenSBI fw_dynamic), as {@code qemu-system-riscv64 -M virt -kernel Image -initrd
 * initramfs.cpio -append ...} would. It sets the machine's kernel, initrd and command line:
 * {@code console=ttyS0 earlycon=sbi drydock.mode=MODE drydock.tag=TAG [drydock.dax=DAX]}, then the machine's
 * own {@code append} and {@code args}. Modes (read by guest/init.c): {@code suite} mounts the virtio-fs share
 * on /mnt and runs the file-system suite; {@code boot} powers off as soon as /init runs. Pair it with
 * {@code riscv}, {@code pci} (or {@code virtioMmio}) and a {@code virtioFs} device of the same tag;
 * {@code memory 256.MiB} leaves room for the initrd. {@code image:}/{@code initrd:} boot other files instead.
 */
@Extension
public final class LinuxWord implements MachineWord {
    @Override public String name() { return "linux"; }

    @Override public String help() {
        return "linux mode: 'suite'|'boot' [, tag: 'myfs', dax: 'always'|'never'|'inode'|true|false, args: 'quiet',"
                + " image: 'Image', initrd: 'rd.cpio'] — Linux 6.12 on OpenSBI, our test init in an initramfs";
    }

    @Override public MachinePart create(Options o, List<Object> args) {
        if (!args.isEmpty()) throw o.error("takes no positional arguments (mode: 'suite' or 'boot')");
        String mode = o.choice("mode", "suite", "suite", "boot");
        String tag = o.string("tag", "myfs");
        if (tag.isBlank() || tag.contains(" ")) throw o.error("tag must be one word, was '" + tag + "'");
        String dax = daxOption(o);
        String extra = o.string("args", "");
        Path image = o.path("image", null);
        Path initrd = o.path("initrd", null);
        o.finish();
        if ((image == null) != (initrd == null)) throw o.error("give both image: and initrd:, or neither (the built ones)");
        List<String> cmdline = new ArrayList<>(List.of("console=ttyS0", "earlycon=sbi", "drydock.mode=" + mode, "drydock.tag=" + tag));
        if (dax != null) cmdline.add("drydock.dax=" + dax);
        return new Part(image, initrd, String.join(" ", cmdline), extra.trim());
    }

    private static String daxOption(Options o) {
        if (!o.has("dax")) return null;
        try {
            return o.bool("dax", false) ? "always" : null;
        } catch (IllegalArgumentException notABoolean) {
            return o.choice("dax", "always", "always", "never", "inode");
        }
    }

    record Part(Path image, Path initrd, String cmdline, String extra) implements MachinePart {
        @Override public Phase phase() { return Phase.DEVICE; }

        @Override public String describe() {
            return "linux guest " + (image == null ? "(built by plugins/linux-guest/build.sh)" : image + " + " + initrd) + ": " + cmdline
                    + (extra.isEmpty() ? "" : " " + extra);
        }

        @Override public void configure(MachineSpec spec) {
            Path k = image, rd = initrd;
            if (k == null) {
                LinuxBuild.Artifacts a = LinuxBuild.ensure();
                k = a.image();
                rd = a.initramfs();
            }
            String appended = spec.bootargs();
            spec.kernel(k).initrd(rd).bootargs(cmdline + (appended.isBlank() ? "" : " " + appended) + (extra.isEmpty() ? "" : " " + extra));
        }

        @Override public void assemble(MachineAssembly assembly) {
            // Nothing to build: kernel, initrd and command line were set in configure; the board loads them.
        }
    }
}
