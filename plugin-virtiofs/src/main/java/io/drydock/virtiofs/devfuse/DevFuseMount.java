package io.drydock.virtiofs.devfuse;

import io.drydock.kernel.sys.ErrnoException;
import io.drydock.kernel.sys.Sys;

import java.nio.charset.StandardCharsets;

/**
 * A FUSE mount made without libfuse: open {@code /dev/fuse}, then {@code mount(2)} with
 * {@code fd=N,rootmode=40000,user_id=U,group_id=G} (fs/fuse/inode.c mount options), {@code nosuid,nodev}
 * so no set-id program or device node in the share takes effect (kata-containers #1308). Needs
 * CAP_SYS_ADMIN. {@link #close} detaches the mount (MNT_DETACH: busy files keep it alive until closed)
 * and closes the descriptor.
 *
 * @param fd the /dev/fuse descriptor requests are read from and replies written to
 * @param device the mount's "major:minor" (its backing_dev_info under /sys/class/bdi), or null if unknown
 */
public record DevFuseMount(int fd, String mountpoint, String device) implements AutoCloseable {
    /** Mounts {@code /dev/fuse} at {@code mountpoint}; {@code allowOther} lets users other than the mounter in. */
    public static DevFuseMount mount(String mountpoint, String source, boolean allowOther) throws ErrnoException {
        int fd = Sys.openat(Sys.AT_FDCWD, "/dev/fuse".getBytes(StandardCharsets.US_ASCII), Sys.O_RDWR | Sys.O_CLOEXEC, 0);
        try {
            String data = "fd=" + fd + ",rootmode=40000,user_id=" + Sys.geteuid() + ",group_id=0,default_permissions"
                    + (allowOther ? ",allow_other" : "");
            // fs/fuse/inode.c: "fuse.<subtype>" names the file system in /proc/mounts
            Sys.mount(source, mountpoint, "fuse.drydock", Sys.MS_NOSUID | Sys.MS_NODEV, data);
            return new DevFuseMount(fd, mountpoint, deviceOf(mountpoint));
        } catch (ErrnoException e) {
            Sys.closeQuietly(fd);
            throw e;
        }
    }

    /**
     * The mount's device from /proc/self/mountinfo ("ID PARENT MAJOR:MINOR ROOT MOUNTPOINT ..."), not from
     * stat(2): stat of the new mount would wait for FUSE_INIT, which no one serves yet. Null if not found.
     */
    private static String deviceOf(String mountpoint) {
        try {
            String canonical = java.nio.file.Path.of(mountpoint).toAbsolutePath().normalize().toString();
            String found = null;
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/mountinfo"))) {
                String[] f = line.split(" ");
                if (f.length > 4 && f[4].replace("\\040", " ").equals(canonical) && line.contains(" - fuse.drydock ")) {
                    found = f[2];
                }
            }
            return found;
        } catch (java.io.IOException e) {
            return null;
        }
    }

    /** Lazily unmounts; the kernel then aborts the connection once the last user is gone. */
    public void unmount() throws ErrnoException {
        Sys.umount2(mountpoint, Sys.MNT_DETACH);
    }

    /** Ends the connection at once (fusectl's abort file): pending and future requests fail with ENOTCONN. */
    public boolean abort() {
        if (device == null) return false;
        // the connection directory is named by the superblock's dev_t: MKDEV(major, minor) = major << 20 | minor
        String[] mm = device.split(":");
        long connection = (Long.parseLong(mm[0]) << 20) | Long.parseLong(mm[1]);
        java.nio.file.Path abort = java.nio.file.Path.of("/sys/fs/fuse/connections", Long.toString(connection), "abort");
        try {
            java.nio.file.Files.writeString(abort, "1");
            return true;
        } catch (java.io.IOException e) {
            return false; // fusectl not mounted or the connection is already gone
        }
    }

    /**
     * Sets the mount's readahead (/sys/class/bdi/MAJOR:MINOR/read_ahead_kb). The kernel starts FUSE mounts
     * at 128 KiB and FUSE_INIT can only lower it (fs/fuse/inode.c takes the min), so after INIT a server
     * that announced a bigger max_readahead raises it here; large sequential reads then arrive as
     * max_pages-sized READs. Returns false if it could not.
     */
    public boolean setReadAheadKb(int kb) {
        if (device == null) return false;
        try {
            java.nio.file.Files.writeString(java.nio.file.Path.of("/sys/class/bdi", device, "read_ahead_kb"), Integer.toString(kb));
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    @Override public void close() { Sys.closeQuietly(fd); }
}
