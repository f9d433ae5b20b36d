/*
 * Drydock's Linux test init (PID 1 in the initramfs). Portable Linux C, no architecture-specific code.
 *
 * It mounts /proc, /sys, /dev (devtmpfs) and /tmp, prints "drydock-init: reached /init", then reads its
 * instructions from the kernel command line (/proc/cmdline):
 *   drydock.mode=suite|boot   suite (default): mount the virtio-fs share and run /bin/fstest on it;
 *                             boot: power off at once (the boot benchmark)
 *   drydock.tag=TAG           the virtio-fs tag (default myfs)
 *   drydock.dax=always|never|inode|none   the dax= mount option (none: no option; default none)
 * and powers the machine off (reboot(2) POWER_OFF → the board's syscon-poweroff). The suite's verdict is in
 * its output ("fstest: N passed, M failed"), which the host compares line for line.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char cmdline[4096];

/* Puts the value of "drydock.KEY=" on the command line, or def, into buf. */
static void param(const char *key, const char *def, char *buf, size_t len) {
    char pat[64];
    snprintf(pat, sizeof pat, "drydock.%s=", key);
    for (char *p = strstr(cmdline, pat); p; p = strstr(p + 1, pat)) {
        if (p != cmdline && p[-1] != ' ') continue;
        p += strlen(pat);
        size_t n = strcspn(p, " \n");
        if (n >= len) n = len - 1;
        memcpy(buf, p, n);
        buf[n] = 0;
        return;
    }
    snprintf(buf, len, "%s", def);
}

static void mnt(const char *src, const char *dir, const char *type, const char *opts) {
    mkdir(dir, 0755);
    if (mount(src, dir, type, 0, opts) != 0) printf("drydock-init: mount %s on %s: %s\n", type, dir, strerror(errno));
}

static void power_off(void) {
    fflush(stdout);
    sync();
    reboot(RB_POWER_OFF);
    printf("drydock-init: reboot(POWER_OFF): %s\n", strerror(errno));
    for (;;) pause();
}

int main(void) {
    int fd = open("/dev/console", O_RDWR);
    if (fd >= 0) {
        dup2(fd, 0); dup2(fd, 1); dup2(fd, 2);
        if (fd > 2) close(fd);
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    umask(0);
    mnt("proc", "/proc", "proc", NULL);
    mnt("sysfs", "/sys", "sysfs", NULL);
    mnt("devtmpfs", "/dev", "devtmpfs", NULL);
    mnt("tmpfs", "/tmp", "tmpfs", NULL);
    printf("drydock-init: reached /init\n");

    int c = open("/proc/cmdline", O_RDONLY);
    if (c >= 0) {
        ssize_t n = read(c, cmdline, sizeof cmdline - 1);
        cmdline[n > 0 ? n : 0] = 0;
        close(c);
    }
    char mode[32], tag[64], dax[32];
    param("mode", "suite", mode, sizeof mode);
    param("tag", "myfs", tag, sizeof tag);
    param("dax", "none", dax, sizeof dax);
    if (strcmp(mode, "boot") == 0) {
        printf("drydock-init: powering off\n");
        power_off();
    }

    char opts[64] = "";
    if (strcmp(dax, "none") != 0) snprintf(opts, sizeof opts, "dax=%s", dax);
    mkdir("/mnt", 0755);
    if (mount(tag, "/mnt", "virtiofs", 0, opts[0] ? opts : NULL) != 0) {
        printf("drydock-init: mount -t virtiofs %s /mnt%s%s: %s\n", tag, opts[0] ? " -o " : "", opts, strerror(errno));
        power_off();
    }
    printf("drydock-init: mounted virtiofs %s on /mnt%s%s\n", tag, opts[0] ? " with " : "", opts);
    pid_t pid = fork();
    if (pid == 0) {
        execl("/bin/fstest", "fstest", "/mnt", (char *)NULL);
        printf("drydock-init: exec /bin/fstest: %s\n", strerror(errno));
        _exit(127);
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
    printf("drydock-init: fstest exited with %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
    if (umount("/mnt") != 0) printf("drydock-init: umount /mnt: %s\n", strerror(errno));
    power_off();
}
