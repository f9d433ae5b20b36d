/*
 * fstest: a file-system suite of Drydock's, run inside a Linux guest on a virtio-fs mount (or on any
 * directory). One line per check, "ok NAME" or "FAIL NAME: what", then "fstest: N passed, M failed"; the
 * exit code is the number of failures (capped at 100). Only facts that do not depend on the server, the
 * transport, DAX or the architecture are printed, so the output of two correct setups is identical.
 *
 * Portable Linux C (glibc or musl, any architecture): vhost's x86-64 guest builds the same file.
 *
 *   fstest DIR     DIR must be empty except for what the host prepares:
 *                  host.bin     262144 bytes, byte i = (i * 7 + 3) & 0xff   (read check)
 *                  hostedit.txt "before\n"; after "fstest: HOSTEDIT-READY" the host writes "after\n" into it
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <time.h>
#include <unistd.h>

#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE (1 << 0)
#endif
#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE (1 << 1)
#endif
#ifndef FALLOC_FL_KEEP_SIZE
#define FALLOC_FL_KEEP_SIZE 0x01
#endif
#define FUSE_SUPER_MAGIC 0x65735546

static int passed, failed;
static char why[512];

/* Records why a check fails; returns -1 so a check can `return fail(...)`. */
static int fail(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    return -1;
}
#define SYS(call) do { if ((call) < 0) return fail("%s: %s", #call, strerror(errno)); } while (0)

static void check(const char *name, int (*fn)(void)) {
    why[0] = 0;
    if (fn() == 0) {
        printf("ok %s\n", name);
        passed++;
    } else {
        printf("FAIL %s: %s\n", name, why);
        failed++;
    }
    fflush(stdout);
}

static uint8_t pattern(size_t i) { return (uint8_t)(i * 7 + 3); }

static int write_all(int fd, const void *buf, size_t n) {
    const char *p = buf;
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0) { if (errno == EINTR) continue; return -1; }
        p += w; n -= (size_t)w;
    }
    return 0;
}

static ssize_t read_all(int fd, void *buf, size_t n) {
    char *p = buf;
    size_t got = 0;
    while (got < n) {
        ssize_t r = read(fd, p + got, n - got);
        if (r < 0) { if (errno == EINTR) continue; return -1; }
        if (r == 0) break;
        got += (size_t)r;
    }
    return (ssize_t)got;
}

/* The whole file as a NUL-terminated string (at most cap - 1 bytes), or -1. */
static ssize_t slurp(const char *path, char *buf, size_t cap) {
    int fd = open(path, O_RDONLY);
    if (fd < 0) return -1;
    ssize_t n = read_all(fd, buf, cap - 1);
    close(fd);
    if (n >= 0) buf[n] = 0;
    return n;
}

static int put(const char *path, const char *text) {
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) return -1;
    int r = write_all(fd, text, strlen(text));
    close(fd);
    return r;
}

static int expect_text(const char *path, const char *want) {
    char buf[256];
    if (slurp(path, buf, sizeof buf) < 0) return fail("read %s: %s", path, strerror(errno));
    if (strcmp(buf, want) != 0) return fail("%s holds \"%s\", expected \"%s\"", path, buf, want);
    return 0;
}

static int t_create(void) {
    int fd = open("c.txt", O_WRONLY | O_CREAT | O_EXCL, 0640);
    if (fd < 0) return fail("open O_CREAT|O_EXCL: %s", strerror(errno));
    close(fd);
    struct stat st;
    SYS(stat("c.txt", &st));
    if (!S_ISREG(st.st_mode) || (st.st_mode & 07777) != 0640 || st.st_size != 0)
        return fail("mode %o size %lld", st.st_mode, (long long)st.st_size);
    if (open("c.txt", O_WRONLY | O_CREAT | O_EXCL, 0640) >= 0 || errno != EEXIST) return fail("second O_EXCL create: not EEXIST");
    return 0;
}

static int t_read_host_file(void) {
    static uint8_t buf[262144];
    int fd = open("host.bin", O_RDONLY);
    if (fd < 0) return fail("open host.bin: %s", strerror(errno));
    ssize_t n = read_all(fd, buf, sizeof buf);
    char extra;
    ssize_t more = read(fd, &extra, 1);
    close(fd);
    if (n != (ssize_t)sizeof buf || more != 0) return fail("read %zd bytes (then %zd), expected %zu", n, more, sizeof buf);
    for (size_t i = 0; i < sizeof buf; i++) if (buf[i] != pattern(i)) return fail("byte %zu is %u, expected %u", i, buf[i], pattern(i));
    /* a read at an offset in the middle, crossing a page */
    fd = open("host.bin", O_RDONLY);
    uint8_t small[100];
    if (pread(fd, small, sizeof small, 4090) != (ssize_t)sizeof small) { close(fd); return fail("pread: %s", strerror(errno)); }
    close(fd);
    for (size_t i = 0; i < sizeof small; i++) if (small[i] != pattern(4090 + i)) return fail("pread byte %zu", i);
    return 0;
}

static int t_write_read(void) {
    static uint8_t buf[1 << 20], back[1 << 20];
    for (size_t i = 0; i < sizeof buf; i++) buf[i] = pattern(i * 13);
    int fd = open("w.bin", O_RDWR | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) return fail("open: %s", strerror(errno));
    if (write_all(fd, buf, sizeof buf) < 0) { close(fd); return fail("write: %s", strerror(errno)); }
    close(fd);
    fd = open("w.bin", O_RDONLY);
    ssize_t n = read_all(fd, back, sizeof back);
    close(fd);
    if (n != (ssize_t)sizeof back || memcmp(buf, back, sizeof buf) != 0) return fail("read back %zd bytes, content differs", n);
    /* overwrite in the middle with pwrite */
    fd = open("w.bin", O_RDWR);
    if (pwrite(fd, "XYZ", 3, 5000) != 3) { close(fd); return fail("pwrite: %s", strerror(errno)); }
    char three[3];
    if (pread(fd, three, 3, 5000) != 3 || memcmp(three, "XYZ", 3) != 0) { close(fd); return fail("pread after pwrite"); }
    close(fd);
    return unlink("w.bin") == 0 ? 0 : fail("unlink: %s", strerror(errno));
}

static int t_append(void) {
    SYS(put("a.txt", "one\n"));
    int fd = open("a.txt", O_WRONLY | O_APPEND);
    if (fd < 0) return fail("open O_APPEND: %s", strerror(errno));
    lseek(fd, 0, SEEK_SET);
    int r = write_all(fd, "two\n", 4);
    close(fd);
    if (r < 0) return fail("write: %s", strerror(errno));
    fd = open("a.txt", O_WRONLY | O_APPEND);
    r = write_all(fd, "three\n", 6);
    close(fd);
    if (r < 0) return fail("write: %s", strerror(errno));
    return expect_text("a.txt", "one\ntwo\nthree\n");
}

static int t_rename(void) {
    SYS(put("r1", "first"));
    SYS(rename("r1", "r2"));
    if (access("r1", F_OK) == 0 || errno != ENOENT) return fail("r1 still there");
    if (expect_text("r2", "first")) return -1;
    SYS(mkdir("rdir", 0755));
    SYS(rename("r2", "rdir/r3"));
    if (expect_text("rdir/r3", "first")) return -1;
    SYS(put("r4", "other"));
    SYS(rename("r4", "rdir/r3")); /* replaces */
    if (expect_text("rdir/r3", "other")) return -1;
    SYS(unlink("rdir/r3"));
    SYS(rmdir("rdir"));
    return 0;
}

static int t_rename_noreplace(void) {
    SYS(put("n1", "n1"));
    SYS(put("n2", "n2"));
    if (renameat2(AT_FDCWD, "n1", AT_FDCWD, "n2", RENAME_NOREPLACE) == 0) return fail("renamed over an existing name");
    if (errno != EEXIST) return fail("errno %s, expected EEXIST", strerror(errno));
    SYS(renameat2(AT_FDCWD, "n1", AT_FDCWD, "n3", RENAME_NOREPLACE));
    if (expect_text("n3", "n1") || expect_text("n2", "n2")) return -1;
    SYS(unlink("n2"));
    SYS(unlink("n3"));
    return 0;
}

static int t_rename_exchange(void) {
    SYS(put("x1", "left"));
    SYS(mkdir("x2", 0755));
    SYS(renameat2(AT_FDCWD, "x1", AT_FDCWD, "x2", RENAME_EXCHANGE));
    struct stat st;
    SYS(stat("x1", &st));
    if (!S_ISDIR(st.st_mode)) return fail("x1 is not the directory after the exchange");
    if (expect_text("x2", "left")) return -1;
    if (renameat2(AT_FDCWD, "x2", AT_FDCWD, "nonexistent", RENAME_EXCHANGE) == 0 || errno != ENOENT)
        return fail("exchange with a missing name: not ENOENT");
    SYS(unlink("x2"));
    SYS(rmdir("x1"));
    return 0;
}

static int t_hardlink(void) {
    SYS(put("h1", "linked"));
    SYS(link("h1", "h2"));
    struct stat a, b;
    SYS(stat("h1", &a));
    SYS(stat("h2", &b));
    if (a.st_ino != b.st_ino || a.st_nlink != 2) return fail("ino %llu/%llu nlink %lu", (unsigned long long)a.st_ino,
                                                           (unsigned long long)b.st_ino, (unsigned long)a.st_nlink);
    SYS(unlink("h1"));
    SYS(stat("h2", &b));
    if (b.st_nlink != 1) return fail("nlink %lu after unlink", (unsigned long)b.st_nlink);
    if (expect_text("h2", "linked")) return -1;
    SYS(unlink("h2"));
    return 0;
}

static int t_symlink(void) {
    SYS(put("s-target", "through the link"));
    SYS(symlink("s-target", "s-link"));
    char buf[64];
    ssize_t n = readlink("s-link", buf, sizeof buf);
    if (n != 8 || memcmp(buf, "s-target", 8) != 0) return fail("readlink gave %zd bytes", n);
    struct stat st;
    SYS(lstat("s-link", &st));
    if (!S_ISLNK(st.st_mode)) return fail("lstat: not a link");
    if (expect_text("s-link", "through the link")) return -1;
    SYS(symlink("missing", "s-dangling"));
    if (open("s-dangling", O_RDONLY) >= 0 || errno != ENOENT) return fail("dangling link: not ENOENT");
    SYS(unlink("s-link"));
    SYS(unlink("s-dangling"));
    SYS(unlink("s-target"));
    return 0;
}

static int t_chmod(void) {
    SYS(put("m", "x"));
    SYS(chmod("m", 0751));
    struct stat st;
    SYS(stat("m", &st));
    if ((st.st_mode & 07777) != 0751) return fail("mode %o", st.st_mode & 07777);
    int fd = open("m", O_RDONLY);
    if (fchmod(fd, 0600) < 0) { close(fd); return fail("fchmod: %s", strerror(errno)); }
    fstat(fd, &st);
    close(fd);
    if ((st.st_mode & 07777) != 0600) return fail("mode %o after fchmod", st.st_mode & 07777);
    return 0;
}

static int t_chown(void) {
    SYS(chown("m", 1234, 5678));
    struct stat st;
    SYS(stat("m", &st));
    if (st.st_uid != 1234 || st.st_gid != 5678) return fail("uid %u gid %u", st.st_uid, st.st_gid);
    SYS(lchown("m", 0, 0));
    SYS(stat("m", &st));
    if (st.st_uid != 0 || st.st_gid != 0) return fail("uid %u gid %u after lchown", st.st_uid, st.st_gid);
    return 0;
}

static int t_utimensat(void) {
    struct timespec ts[2] = {{1000000000, 123456789}, {1234567890, 500}};
    SYS(utimensat(AT_FDCWD, "m", ts, 0));
    struct stat st;
    SYS(stat("m", &st));
    if (st.st_atim.tv_sec != ts[0].tv_sec || st.st_atim.tv_nsec != ts[0].tv_nsec ||
        st.st_mtim.tv_sec != ts[1].tv_sec || st.st_mtim.tv_nsec != ts[1].tv_nsec)
        return fail("atime %lld.%09ld mtime %lld.%09ld", (long long)st.st_atim.tv_sec, st.st_atim.tv_nsec,
                    (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
    struct timespec omit[2] = {{0, UTIME_OMIT}, {0, UTIME_NOW}};
    SYS(utimensat(AT_FDCWD, "m", omit, 0));
    SYS(stat("m", &st));
    if (st.st_atim.tv_sec != ts[0].tv_sec || st.st_mtim.tv_sec < 1600000000) return fail("UTIME_OMIT/UTIME_NOW not honoured");
    SYS(unlink("m"));
    return 0;
}

static int t_truncate(void) {
    SYS(put("t", "0123456789"));
    SYS(truncate("t", 4));
    if (expect_text("t", "0123")) return -1;
    int fd = open("t", O_RDWR);
    if (ftruncate(fd, 8192) < 0) { close(fd); return fail("ftruncate: %s", strerror(errno)); }
    char buf[8192];
    ssize_t n = pread(fd, buf, sizeof buf, 0);
    close(fd);
    if (n != 8192 || memcmp(buf, "0123", 4) != 0) return fail("read %zd after growing", n);
    for (int i = 4; i < 8192; i++) if (buf[i] != 0) return fail("byte %d is not zero after growing", i);
    SYS(unlink("t"));
    return 0;
}

static int t_fallocate(void) {
    int fd = open("f", O_RDWR | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) return fail("open: %s", strerror(errno));
    if (fallocate(fd, 0, 0, 1 << 20) < 0) { close(fd); return fail("fallocate: %s", strerror(errno)); }
    struct stat st;
    fstat(fd, &st);
    if (st.st_size != 1 << 20) { close(fd); return fail("size %lld", (long long)st.st_size); }
    if (fallocate(fd, FALLOC_FL_KEEP_SIZE, 1 << 20, 1 << 20) < 0) { close(fd); return fail("fallocate KEEP_SIZE: %s", strerror(errno)); }
    fstat(fd, &st);
    close(fd);
    if (st.st_size != 1 << 20) return fail("KEEP_SIZE changed the size to %lld", (long long)st.st_size);
    SYS(unlink("f"));
    return 0;
}

static int t_xattr(void) {
    SYS(put("xa", "x"));
    SYS(setxattr("xa", "user.drydock", "value-1", 7, XATTR_CREATE));
    if (setxattr("xa", "user.drydock", "v", 1, XATTR_CREATE) == 0 || errno != EEXIST) return fail("XATTR_CREATE twice: not EEXIST");
    char buf[64];
    ssize_t n = getxattr("xa", "user.drydock", buf, sizeof buf);
    if (n != 7 || memcmp(buf, "value-1", 7) != 0) return fail("getxattr gave %zd", n);
    if (getxattr("xa", "user.drydock", NULL, 0) != 7) return fail("size query");
    n = listxattr("xa", buf, sizeof buf);
    int found = 0;
    for (ssize_t i = 0; i < n; i += (ssize_t)strlen(buf + i) + 1) if (strcmp(buf + i, "user.drydock") == 0) found = 1;
    if (!found) return fail("listxattr does not list user.drydock");
    SYS(removexattr("xa", "user.drydock"));
    if (getxattr("xa", "user.drydock", buf, sizeof buf) >= 0 || errno != ENODATA) return fail("after removexattr: not ENODATA");
    SYS(unlink("xa"));
    return 0;
}

static int t_readdir_large(void) {
    enum { N = 256 }; /* long names: several READDIR replies; more is slow on a loaded host (4 requests per file) */
    SYS(mkdir("big", 0755));
    char name[64];
    for (int i = 0; i < N; i++) {
        snprintf(name, sizeof name, "big/entry-with-a-longish-name-%04d", i);
        int fd = open(name, O_WRONLY | O_CREAT | O_EXCL, 0644);
        if (fd < 0) return fail("create %s: %s", name, strerror(errno));
        close(fd);
    }
    static unsigned char seen[N];
    memset(seen, 0, sizeof seen);
    DIR *d = opendir("big");
    if (!d) return fail("opendir: %s", strerror(errno));
    int count = 0, dots = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) { dots++; continue; }
        int k;
        if (sscanf(e->d_name, "entry-with-a-longish-name-%d", &k) != 1 || k < 0 || k >= N || seen[k]) {
            closedir(d);
            return fail("unexpected or repeated entry %s", e->d_name);
        }
        seen[k] = 1;
        count++;
    }
    closedir(d);
    if (count != N || dots != 2) return fail("%d entries and %d dot entries, expected %d and 2", count, dots, N);
    for (int i = 0; i < N; i++) {
        snprintf(name, sizeof name, "big/entry-with-a-longish-name-%04d", i);
        SYS(unlink(name));
    }
    SYS(rmdir("big"));
    return 0;
}

static int t_mmap_shared(void) {
    enum { LEN = 3 * 4096 };
    int fd = open("ms", O_RDWR | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) return fail("open: %s", strerror(errno));
    if (ftruncate(fd, LEN) < 0) { close(fd); return fail("ftruncate: %s", strerror(errno)); }
    char *p = mmap(NULL, LEN, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (p == MAP_FAILED) { close(fd); return fail("mmap: %s", strerror(errno)); }
    for (int i = 0; i < LEN; i++) p[i] = (char)pattern((size_t)i);
    if (msync(p, LEN, MS_SYNC) < 0) { munmap(p, LEN); close(fd); return fail("msync: %s", strerror(errno)); }
    munmap(p, LEN);
    static char buf[LEN];
    ssize_t n = pread(fd, buf, LEN, 0);
    close(fd);
    if (n != LEN) return fail("pread %zd", n);
    for (int i = 0; i < LEN; i++) if ((uint8_t)buf[i] != pattern((size_t)i)) return fail("byte %d not written through the mapping", i);
    return 0;
}

static int t_mmap_private(void) {
    int fd = open("ms", O_RDWR);
    if (fd < 0) return fail("open: %s", strerror(errno));
    char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 4096);
    if (p == MAP_FAILED) { close(fd); return fail("mmap: %s", strerror(errno)); }
    if ((uint8_t)p[0] != pattern(4096)) { munmap(p, 4096); close(fd); return fail("mapping shows %u at 4096", (uint8_t)p[0]); }
    memset(p, 'P', 4096);
    munmap(p, 4096);
    char c;
    ssize_t n = pread(fd, &c, 1, 4096);
    close(fd);
    if (n != 1 || (uint8_t)c != pattern(4096)) return fail("a private write reached the file");
    SYS(unlink("ms"));
    return 0;
}

static int t_o_direct(void) {
    enum { LEN = 8192 };
    void *buf, *back;
    if (posix_memalign(&buf, 4096, LEN) || posix_memalign(&back, 4096, LEN)) return fail("posix_memalign");
    memset(buf, 'D', LEN);
    int fd = open("d", O_RDWR | O_CREAT | O_TRUNC | O_DIRECT, 0644);
    if (fd < 0) { free(buf); free(back); return fail("open O_DIRECT: %s", strerror(errno)); }
    ssize_t w = pwrite(fd, buf, LEN, 0), r = pread(fd, back, LEN, 0);
    close(fd);
    int bad = w != LEN || r != LEN || memcmp(buf, back, LEN) != 0;
    free(buf);
    free(back);
    if (bad) return fail("O_DIRECT write %zd read %zd", w, r);
    char plain[16];
    fd = open("d", O_RDONLY);
    r = pread(fd, plain, sizeof plain, LEN - sizeof plain);
    close(fd);
    if (r != (ssize_t)sizeof plain || plain[0] != 'D') return fail("buffered read after O_DIRECT write");
    SYS(unlink("d"));
    return 0;
}

static int t_fsync(void) {
    int fd = open("s", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) return fail("open: %s", strerror(errno));
    int r = write_all(fd, "synced\n", 7);
    if (r == 0) r = fsync(fd);
    if (r == 0) r = fdatasync(fd);
    close(fd);
    if (r < 0) return fail("write/fsync/fdatasync: %s", strerror(errno));
    int dfd = open(".", O_RDONLY | O_DIRECTORY);
    r = fsync(dfd);
    close(dfd);
    if (r < 0) return fail("fsync of the directory: %s", strerror(errno));
    if (expect_text("s", "synced\n")) return -1;
    SYS(unlink("s"));
    return 0;
}

static int t_host_edit(void) {
    if (expect_text("hostedit.txt", "before\n")) return -1;
    printf("fstest: HOSTEDIT-READY\n");
    fflush(stdout);
    char buf[64];
    for (int i = 0; i < 300; i++) { /* up to 30 s */
        if (slurp("hostedit.txt", buf, sizeof buf) >= 0 && strcmp(buf, "after\n") == 0) return 0;
        struct timespec ts = {0, 100 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    return fail("the host's edit was not seen in 30 s (still \"%s\")", buf);
}

static int t_statfs(void) {
    struct statfs s;
    SYS(statfs(".", &s));
    if (s.f_type != FUSE_SUPER_MAGIC) return fail("f_type 0x%lx, expected FUSE_SUPER_MAGIC", (unsigned long)s.f_type);
    if (s.f_blocks == 0 || s.f_bsize == 0 || s.f_bfree > s.f_blocks) return fail("blocks %llu bsize %ld free %llu",
                                                                               (unsigned long long)s.f_blocks, (long)s.f_bsize,
                                                                               (unsigned long long)s.f_bfree);
    return 0;
}

/* A child that drops to uid/gid 1000 (the guest kernel checks permissions, the server runs each request with
 * the caller's ids): what it creates is its own; it may ftruncate through a writable descriptor after making
 * the file 0444 (SETATTR with the file handle); it may not write a root-owned 0644 file. */
static int t_nonroot(void) {
    SYS(mkdir("u", 0777));
    SYS(put("u/root-owned", "root"));
    pid_t pid = fork();
    if (pid < 0) return fail("fork: %s", strerror(errno));
    if (pid == 0) {
        if (setgid(1000) < 0 || setuid(1000) < 0) _exit(10);
        int fd = open("u/mine", O_WRONLY | O_CREAT | O_EXCL, 0644);
        if (fd < 0) _exit(11);
        struct stat st;
        if (fstat(fd, &st) < 0 || st.st_uid != 1000 || st.st_gid != 1000) _exit(12);
        if (fchmod(fd, 0444) < 0) _exit(13);
        if (ftruncate(fd, 10) < 0) _exit(14);
        close(fd);
        if (stat("u/mine", &st) < 0 || st.st_size != 10 || (st.st_mode & 07777) != 0444) _exit(15);
        if (open("u/mine", O_WRONLY) >= 0 || errno != EACCES) _exit(16);
        if (open("u/root-owned", O_WRONLY) >= 0 || errno != EACCES) _exit(17);
        if (unlink("u/mine") < 0) _exit(18);
        _exit(0);
    }
    int status;
    if (waitpid(pid, &status, 0) < 0) return fail("waitpid: %s", strerror(errno));
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return fail("child step %d failed", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    SYS(unlink("u/root-owned"));
    SYS(rmdir("u"));
    return 0;
}

static int t_copy_file_range(void) {
    enum { LEN = 200000 };
    int in = open("host.bin", O_RDONLY), out = open("cr", O_RDWR | O_CREAT | O_TRUNC, 0644);
    if (in < 0 || out < 0) return fail("open: %s", strerror(errno));
    loff_t from = 1000, to = 0;
    size_t done = 0;
    while (done < LEN) {
        ssize_t n = copy_file_range(in, &from, out, &to, LEN - done, 0);
        if (n <= 0) { close(in); close(out); return fail("copy_file_range: %zd %s", n, strerror(errno)); }
        done += (size_t)n;
    }
    static uint8_t buf[LEN];
    ssize_t n = pread(out, buf, LEN, 0);
    close(in);
    close(out);
    if (n != LEN) return fail("read back %zd", n);
    for (size_t i = 0; i < LEN; i++) if (buf[i] != pattern(1000 + i)) return fail("byte %zu differs", i);
    SYS(unlink("cr"));
    return 0;
}

/* SEEK_DATA/SEEK_HOLE (FUSE_LSEEK, or the kernel's own answer when a server lacks it: data up to the end) */
static int t_lseek_data_hole(void) {
    int fd = open("sparse", O_RDWR | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) return fail("open: %s", strerror(errno));
    static char page[4096];
    memset(page, 'S', sizeof page);
    if (pwrite(fd, page, sizeof page, 0) != 4096 || pwrite(fd, page, sizeof page, 1 << 20) != 4096 || ftruncate(fd, 2 << 20) < 0) {
        close(fd);
        return fail("write: %s", strerror(errno));
    }
    off_t data = lseek(fd, 0, SEEK_DATA), hole = lseek(fd, 0, SEEK_HOLE), past = lseek(fd, (2 << 20) + 1, SEEK_DATA);
    int past_errno = errno;
    close(fd);
    if (data != 0 || hole < 4096 || hole > (2 << 20)) return fail("SEEK_DATA %lld SEEK_HOLE %lld", (long long)data, (long long)hole);
    if (past != -1 || past_errno != ENXIO) return fail("SEEK_DATA past the end: %lld (%s), expected ENXIO", (long long)past, strerror(past_errno));
    SYS(unlink("sparse"));
    return 0;
}

static int t_large_offset(void) {
    const off_t at = 5LL << 30; /* past 32 bits */
    int fd = open("far", O_RDWR | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) return fail("open: %s", strerror(errno));
    char c = 0;
    struct stat st;
    int bad = pwrite(fd, "Z", 1, at) != 1 || fstat(fd, &st) < 0 || pread(fd, &c, 1, at) != 1;
    close(fd);
    if (bad) return fail("pwrite/pread at 5 GiB: %s", strerror(errno));
    if (st.st_size != at + 1 || c != 'Z') return fail("size %lld, byte '%c'", (long long)st.st_size, c);
    SYS(unlink("far"));
    return 0;
}

static int t_special_files(void) {
    SYS(mkfifo("fifo", 0600));
    struct stat st;
    SYS(lstat("fifo", &st));
    if (!S_ISFIFO(st.st_mode) || (st.st_mode & 07777) != 0600) return fail("fifo mode %o", st.st_mode);
    SYS(mknod("sock", S_IFSOCK | 0600, 0)); /* what bind(2) of a Unix socket sends; the guest kernel has no networking */
    SYS(lstat("sock", &st));
    if (!S_ISSOCK(st.st_mode)) return fail("socket mode %o", st.st_mode);
    SYS(unlink("fifo"));
    SYS(unlink("sock"));
    return 0;
}

/* flock and POSIX locks between two processes (the kernel's own locks unless the server takes them) */
static int t_locks(void) {
    int fd = open("lk", O_RDWR | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) return fail("open: %s", strerror(errno));
    struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 100};
    if (flock(fd, LOCK_EX) < 0 || fcntl(fd, F_SETLK, &fl) < 0) { close(fd); return fail("lock: %s", strerror(errno)); }
    pid_t me = getpid(), pid = fork();
    if (pid < 0) { close(fd); return fail("fork: %s", strerror(errno)); }
    if (pid == 0) {
        int cfd = open("lk", O_RDWR);
        if (cfd < 0) _exit(10);
        if (flock(cfd, LOCK_EX | LOCK_NB) == 0 || errno != EWOULDBLOCK) _exit(11);
        struct flock q = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 50, .l_len = 10};
        if (fcntl(cfd, F_GETLK, &q) < 0 || q.l_type != F_WRLCK || q.l_pid != me) _exit(12);
        if (fcntl(cfd, F_SETLK, &q) == 0 || (errno != EAGAIN && errno != EACCES)) _exit(13);
        struct flock free_range = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 200, .l_len = 10};
        if (fcntl(cfd, F_SETLK, &free_range) < 0) _exit(14);
        _exit(0);
    }
    int status;
    waitpid(pid, &status, 0);
    close(fd);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return fail("child step %d failed", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    SYS(unlink("lk"));
    return 0;
}

/* O_TMPFILE: an unnamed file that linkat gives a name (FUSE_TMPFILE); a server without it gives EOPNOTSUPP */
static int t_o_tmpfile(void) {
    int fd = open(".", O_TMPFILE | O_RDWR, 0600);
    if (fd < 0) return errno == EOPNOTSUPP ? 0 : fail("open O_TMPFILE: %s, expected success or EOPNOTSUPP", strerror(errno));
    int bad = write_all(fd, "tmp", 3) < 0;
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    if (!bad) bad = linkat(AT_FDCWD, path, AT_FDCWD, "tmp-named", AT_SYMLINK_FOLLOW) < 0;
    close(fd);
    if (bad) return fail("write/linkat: %s", strerror(errno));
    if (expect_text("tmp-named", "tmp")) return -1;
    SYS(unlink("tmp-named"));
    return 0;
}

static int t_errno(void) {
    SYS(mkdir("ed", 0755));
    SYS(put("ef", "f"));
    char longname[257];
    memset(longname, 'e', 256);
    longname[256] = 0;
    struct { const char *what; int got, want; } r[] = {
        {"mkdir of an existing name", mkdir("ed", 0755) < 0 ? errno : 0, EEXIST},
        {"rmdir of a file", rmdir("ef") < 0 ? errno : 0, ENOTDIR},
        {"unlink of a directory", unlink("ed") < 0 ? errno : 0, EISDIR},
        {"open of a directory for writing", open("ed", O_WRONLY) < 0 ? errno : 0, EISDIR},
        {"link of a directory", link("ed", "ed2") < 0 ? errno : 0, EPERM},
        {"a file as a directory", open("ef/x", O_RDONLY) < 0 ? errno : 0, ENOTDIR},
        {"rename of a directory into itself", rename("ed", "ed/sub") < 0 ? errno : 0, EINVAL},
        {"rename of a file over a directory", rename("ef", "ed") < 0 ? errno : 0, EISDIR},
        {"a name of 256 bytes", open(longname, O_RDONLY | O_CREAT, 0644) < 0 ? errno : 0, ENAMETOOLONG},
    };
    for (size_t i = 0; i < sizeof r / sizeof r[0]; i++)
        if (r[i].got != r[i].want) return fail("%s: %s, expected %s", r[i].what, r[i].got ? strerror(r[i].got) : "success", strerror(r[i].want));
    SYS(unlink("ef"));
    SYS(rmdir("ed"));
    return 0;
}

/* The sizes a listing brings (READDIRPLUS fills the attribute cache) are the files' sizes */
static int t_readdir_attrs(void) {
    SYS(mkdir("ra", 0755));
    char name[32], buf[800];
    memset(buf, 'r', sizeof buf);
    for (int i = 1; i <= 6; i++) {
        snprintf(name, sizeof name, "ra/f%d", i);
        int fd = open(name, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd < 0 || write_all(fd, buf, (size_t)i * 100) < 0) return fail("create %s: %s", name, strerror(errno));
        close(fd);
    }
    DIR *d = opendir("ra");
    if (!d) return fail("opendir: %s", strerror(errno));
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] != 'f') continue;
        struct stat st;
        int k = atoi(e->d_name + 1);
        if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 || st.st_size != k * 100 || e->d_type != DT_REG) {
            closedir(d);
            return fail("%s: size %lld type %d", e->d_name, (long long)st.st_size, e->d_type);
        }
        n++;
    }
    closedir(d);
    if (n != 6) return fail("%d entries", n);
    for (int i = 1; i <= 6; i++) { snprintf(name, sizeof name, "ra/f%d", i); SYS(unlink(name)); }
    SYS(rmdir("ra"));
    return 0;
}

static int t_unlink_and_rmdir(void) {
    SYS(unlink("c.txt"));
    SYS(unlink("a.txt"));
    SYS(mkdir("e", 0755));
    SYS(put("e/inside", "x"));
    if (rmdir("e") == 0 || errno != ENOTEMPTY) return fail("rmdir of a full directory: not ENOTEMPTY");
    SYS(unlink("e/inside"));
    SYS(rmdir("e"));
    if (unlink("e") == 0 || errno != ENOENT) return fail("unlink of a removed name: not ENOENT");
    return 0;
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: fstest DIR\n");
        return 2;
    }
    if (chdir(argv[1]) < 0) {
        printf("fstest: cannot enter %s: %s\n", argv[1], strerror(errno));
        return 2;
    }
    umask(0);
    printf("fstest: begin\n");
    check("create", t_create);
    check("read-host-file", t_read_host_file);
    check("write-read", t_write_read);
    check("append", t_append);
    check("rename", t_rename);
    check("rename-noreplace", t_rename_noreplace);
    check("rename-exchange", t_rename_exchange);
    check("hard-link", t_hardlink);
    check("symlink", t_symlink);
    check("chmod", t_chmod);
    check("chown", t_chown);
    check("utimensat", t_utimensat);
    check("truncate", t_truncate);
    check("fallocate", t_fallocate);
    check("xattr", t_xattr);
    check("readdir-large", t_readdir_large);
    check("mmap-shared", t_mmap_shared);
    check("mmap-private", t_mmap_private);
    check("o-direct", t_o_direct);
    check("fsync", t_fsync);
    check("host-edit", t_host_edit);
    check("statfs", t_statfs);
    check("nonroot", t_nonroot);
    check("copy-file-range", t_copy_file_range);
    check("lseek-data-hole", t_lseek_data_hole);
    check("large-offset", t_large_offset);
    check("special-files", t_special_files);
    check("locks", t_locks);
    check("o-tmpfile", t_o_tmpfile);
    check("errno", t_errno);
    check("readdir-attrs", t_readdir_attrs);
    check("unlink-rmdir", t_unlink_and_rmdir);
    printf("fstest: %d passed, %d failed\n", passed, failed);
    return failed > 100 ? 100 : failed;
}
