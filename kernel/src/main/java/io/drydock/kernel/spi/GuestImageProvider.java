package io.drydock.kernel.spi;

import io.drydock.kernel.machine.Options;
import org.pf4j.ExtensionPoint;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A guest-image plugin: knows how to produce a bootable kernel image and the root filesystem it expects
 * (for the OSv-like guest: the unikernel ELF and an export directory with its apps).
 */
public interface GuestImageProvider extends ExtensionPoint {
    /** "osv". */
    String name();

    /**
     * Lays out (building if needed) the image and its root filesystem.
     *
     * @param options e.g. {@code image: 'cli', export: 'build/export'}
     */
    GuestImage prepare(Options options) throws IOException;

    /**
     * @param kernel         the bootable ELF
     * @param rootfs         the directory to share as the root filesystem, or null
     * @param defaultCmdline the command line to boot with when none is given
     */
    record GuestImage(String name, Path kernel, Path rootfs, String defaultCmdline) {}
}
