package io.drydock.linux;

import io.drydock.kernel.machine.MachineSpec;
import io.drydock.kernel.machine.Options;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The `linux` word sets kernel, initrd and command line the way guest/init.c reads them. */
class LinuxWordTest {
    static MachineSpec configure(Map<String, Object> options, String append) {
        var part = new LinuxWord().create(new Options("linux", options), List.of());
        MachineSpec spec = new MachineSpec().bootargs(append);
        part.configure(spec);
        return spec;
    }

    @Test
    void setsKernelInitrdAndTheInitsParameters() {
        MachineSpec spec = configure(Map.of("image", "Image", "initrd", "rd.cpio", "dax", true, "args", "quiet"), "loglevel=3");
        assertEquals(Path.of("Image"), spec.kernel());
        assertEquals(Path.of("rd.cpio"), spec.initrd());
        assertEquals("console=ttyS0 earlycon=sbi drydock.mode=suite drydock.tag=myfs drydock.dax=always loglevel=3 quiet", spec.bootargs());
        assertEquals("console=ttyS0 earlycon=sbi drydock.mode=boot drydock.tag=fs2 drydock.dax=inode",
                configure(Map.of("image", "I", "initrd", "R", "mode", "boot", "tag", "fs2", "dax", "inode"), "").bootargs());
        assertTrue(!configure(Map.of("image", "I", "initrd", "R", "dax", false), "").bootargs().contains("dax"));
    }

    @Test
    void badOptionsAreShortErrors() {
        var w = new LinuxWord();
        assertThrows(IllegalArgumentException.class, () -> w.create(new Options("linux", Map.of("mode", "shell")), List.of()));
        assertThrows(IllegalArgumentException.class, () -> w.create(new Options("linux", Map.of("dax", "sometimes")), List.of()));
        assertThrows(IllegalArgumentException.class, () -> w.create(new Options("linux", Map.of("image", "I")), List.of()));
        assertThrows(IllegalArgumentException.class, () -> w.create(new Options("linux", Map.of("kernel", "I")), List.of()));
        assertThrows(IllegalArgumentException.class, () -> w.create(new Options("linux", Map.of("tag", "a b")), List.of()));
    }
}
