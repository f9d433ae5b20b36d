#!/usr/bin/env python3
"""POSIX conformance of Drydock's FUSE server over a /dev/fuse mount, compared with a plain directory.

    conformance.py setup A B          # as root: the fixtures both runs need, in both trees
    conformance.py run A B [--tag T]  # as the user to test (root, or nobody via setpriv)

Every case runs the same operations in tree A (the mount) and tree B (a plain directory on the host) and
records what a program sees: return values or errno names, file types, modes, owners, link counts, sizes,
rdev, exact timestamps set by utimensat, data read back. The run fails when the two trees differ in any
case; it prints every difference. Families (issue #11): chmod, chown, link, mkdir, mkfifo, mknod, open,
rename, rmdir, symlink, truncate, unlink, utimensat, ftruncate, posix_fallocate, plus Unix-socket bind and
connect on the tree, mmap MAP_SHARED and the set-ID kill on write.
"""
import ctypes
import errno
import mmap
import os
import socket
import stat
import sys

libc = ctypes.CDLL(None, use_errno=True)
AT_FDCWD = -100
RENAME_NOREPLACE, RENAME_EXCHANGE = 1, 2
ROOT = os.geteuid() == 0
NOBODY = 65534


def ename(e):
    return errno.errorcode.get(e, str(e))


def call(fn, *args, **kw):
    """The result of fn, or the errno name it failed with (a descriptor from os.open is closed: "fd")."""
    try:
        r = fn(*args, **kw)
        if fn is os.open:
            os.close(r)
            return "fd"
        return "ok" if r is None else r
    except OSError as e:
        return ename(e.errno)


def st(path, follow=False):
    """What a program compares about an inode (no inode numbers, no times)."""
    try:
        s = os.stat(path, follow_symlinks=follow)
    except OSError as e:
        return ename(e.errno)
    kind = stat.S_IFMT(s.st_mode)
    out = "type=%o mode=%04o nlink=%d uid=%d gid=%d" % (kind, stat.S_IMODE(s.st_mode), s.st_nlink, s.st_uid, s.st_gid)
    if stat.S_ISREG(kind) or stat.S_ISLNK(kind):
        out += " size=%d" % s.st_size
    if stat.S_ISCHR(kind) or stat.S_ISBLK(kind):
        out += " rdev=%d:%d" % (os.major(s.st_rdev), os.minor(s.st_rdev))
    return out


def times(path, follow=False):
    try:
        s = os.stat(path, follow_symlinks=follow)
        return "atime=%d mtime=%d" % (s.st_atime_ns, s.st_mtime_ns)
    except OSError as e:
        return ename(e.errno)


def renameat2(a, b, flags):
    if libc.renameat2(AT_FDCWD, a.encode(), AT_FDCWD, b.encode(), flags) != 0:
        raise OSError(ctypes.get_errno(), "renameat2")


def write(path, data, flags=os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode=0o644):
    fd = os.open(path, flags, mode)
    try:
        return os.write(fd, data)
    finally:
        os.close(fd)


def read(path):
    with open(path, "rb") as f:
        return f.read()


# ---- the cases: each gets its own fresh directory d and returns observations ----

def case_chmod(d):
    f = os.path.join(d, "f"); write(f, b"x")
    o = []
    for m in (0o755, 0o600, 0o4755, 0o2755, 0o7777, 0o1777, 0):
        o += [call(os.chmod, f, m), st(f)]
    os.symlink("f", os.path.join(d, "l"))
    o += [call(os.chmod, os.path.join(d, "l"), 0o640), st(f), st(os.path.join(d, "l"))]
    o += [call(os.chmod, os.path.join(d, "missing"), 0o644)]
    os.mkdir(os.path.join(d, "dir"))
    o += [call(os.chmod, os.path.join(d, "dir"), 0o3777), st(os.path.join(d, "dir"))]
    o += [call(os.chmod, os.path.join(d, "f", "x"), 0o644)]  # ENOTDIR
    o += [call(os.chmod, "/".join([d, "..", "fixtures", "rootfile"]), 0o666)]  # EPERM for non-owners
    return o


def case_chown(d):
    f = os.path.join(d, "f"); write(f, b"x", mode=0o6755)
    os.chmod(f, 0o6755)
    me, mygid = os.geteuid(), os.getegid()
    o = [call(os.chown, f, me, mygid), st(f)]  # to oneself: allowed, clears set-ID bits of an executable
    os.chmod(f, 0o6755)
    o += [call(os.chown, f, -1, -1), st(f)]
    o += [call(os.chown, f, 1234, 5678), st(f)]  # EPERM unless root
    os.symlink("f", os.path.join(d, "l"))
    o += [call(os.lchown, os.path.join(d, "l"), 4321, 8765), st(os.path.join(d, "l")), st(f)]
    o += [call(os.chown, os.path.join(d, "missing"), 0, 0)]
    o += [call(os.chown, "/".join([d, "..", "fixtures", "rootfile"]), me, -1)]
    os.mkdir(os.path.join(d, "dir"), 0o2775)
    o += [call(os.chown, os.path.join(d, "dir"), -1, mygid), st(os.path.join(d, "dir"))]
    return o


def case_link(d):
    f = os.path.join(d, "f"); write(f, b"data")
    o = [call(os.link, f, os.path.join(d, "g")), st(f), st(os.path.join(d, "g"))]
    o += [call(os.link, f, os.path.join(d, "g"))]  # EEXIST
    os.mkdir(os.path.join(d, "dir"))
    o += [call(os.link, os.path.join(d, "dir"), os.path.join(d, "dirlink"))]  # EPERM
    o += [call(os.link, os.path.join(d, "missing"), os.path.join(d, "h"))]  # ENOENT
    os.symlink("f", os.path.join(d, "sl"))
    o += [call(os.link, os.path.join(d, "sl"), os.path.join(d, "sl2"), follow_symlinks=False), st(os.path.join(d, "sl2"))]
    o += [call(os.unlink, f), st(os.path.join(d, "g")), read(os.path.join(d, "g"))]
    o += [call(os.link, os.path.join(d, "g"), os.path.join(d, "nodir", "x"))]  # ENOENT
    return o


def case_mkdir(d):
    o = []
    for i, m in enumerate((0o755, 0o777, 0o700, 0o1777, 0o2755, 0)):
        p = os.path.join(d, "d%d" % i)
        o += [call(os.mkdir, p, m), st(p)]
    o += [call(os.mkdir, os.path.join(d, "d0"))]  # EEXIST
    o += [call(os.mkdir, os.path.join(d, "no", "such"))]  # ENOENT
    write(os.path.join(d, "f"), b"")
    o += [call(os.mkdir, os.path.join(d, "f", "x"))]  # ENOTDIR
    o += [call(os.mkdir, os.path.join(d, "d5", "x"))]  # EACCES for non-root (mode 0)
    o += [call(os.mkdir, "/".join([d, "..", "fixtures", "closed", "x"]))]
    os.mkdir(os.path.join(d, "sgid"), 0o2777); os.chmod(os.path.join(d, "sgid"), 0o2777)
    o += [call(os.mkdir, os.path.join(d, "sgid", "inner")), st(os.path.join(d, "sgid", "inner"))]
    return o


def case_mkfifo(d):
    p = os.path.join(d, "fifo")
    o = [call(os.mkfifo, p, 0o640), st(p), call(os.mkfifo, p)]
    o += [call(os.mkfifo, os.path.join(d, "no", "fifo"))]
    fd = os.open(p, os.O_RDONLY | os.O_NONBLOCK)  # FIFOs are opened by the client kernel, never by the server
    wfd = os.open(p, os.O_WRONLY | os.O_NONBLOCK)
    o += [call(os.write, wfd, b"ping"), os.read(fd, 10)]
    os.close(wfd)
    os.close(fd)
    return o


def case_mknod(d):
    o = []
    for name, mode, dev in (("reg", stat.S_IFREG | 0o640, 0), ("zero", 0o600, 0), ("fifo", stat.S_IFIFO | 0o600, 0),
                            ("sock", stat.S_IFSOCK | 0o755, 0), ("chr", stat.S_IFCHR | 0o600, os.makedev(1, 3)),
                            ("blk", stat.S_IFBLK | 0o600, os.makedev(8, 17)), ("bigdev", stat.S_IFCHR | 0o600, os.makedev(300, 70000))):
        p = os.path.join(d, name)
        o += [name, call(os.mknod, p, mode, dev), st(p)]
    o += [call(os.mknod, os.path.join(d, "reg"), stat.S_IFREG | 0o600)]  # EEXIST
    o += [call(os.mknod, os.path.join(d, "bad"), 0o170000 | 0o600)]  # EINVAL
    return o


def case_open(d):
    f = os.path.join(d, "f")
    o = [call(write, f, b"hello", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o640), st(f)]
    o += [call(os.open, f, os.O_WRONLY | os.O_CREAT | os.O_EXCL)]  # EEXIST
    o += [call(write, f, b"ab", os.O_WRONLY | os.O_APPEND), read(f)]
    o += [call(write, f, b"new", os.O_WRONLY | os.O_TRUNC), read(f), st(f)]
    o += [call(os.open, os.path.join(d, "missing"), os.O_RDONLY)]
    o += [call(os.open, f, os.O_RDONLY | os.O_DIRECTORY)]  # ENOTDIR
    os.mkdir(os.path.join(d, "dir"))
    o += [call(os.open, os.path.join(d, "dir"), os.O_WRONLY)]  # EISDIR
    os.symlink("f", os.path.join(d, "l"))
    o += [call(os.open, os.path.join(d, "l"), os.O_RDONLY | os.O_NOFOLLOW)]  # ELOOP
    o += [call(os.open, os.path.join(d, "l"), os.O_WRONLY | os.O_CREAT | os.O_EXCL)]  # EEXIST
    os.symlink("nowhere", os.path.join(d, "dangling"))
    o += [call(write, os.path.join(d, "dangling"), b"x", os.O_WRONLY | os.O_CREAT, 0o600), st(os.path.join(d, "nowhere"))]
    o += [call(os.open, "/".join([d, "..", "fixtures", "rootfile"]), os.O_RDONLY)]  # EACCES for non-root
    o += [call(os.open, os.path.join(d, "x" * 256), os.O_RDONLY | os.O_CREAT)]  # ENAMETOOLONG
    os.chmod(f, 0o400)
    o += [call(os.open, f, os.O_WRONLY)]  # EACCES unless root
    # set-ID bits die when someone else writes (finding 7): a world-writable 06777 file of root's
    o += [call(write, "/".join([d, "..", "fixtures", "suid"]), b"w", os.O_WRONLY), st("/".join([d, "..", "fixtures", "suid"]))]
    return o


def case_rename(d):
    j = lambda *n: os.path.join(d, *n)
    write(j("a"), b"a"); write(j("b"), b"b"); os.mkdir(j("d1")); os.mkdir(j("d2")); os.mkdir(j("full"))
    write(j("full", "x"), b"")
    o = [call(os.rename, j("a"), j("a2")), st(j("a")), read(j("a2"))]
    o += [call(os.rename, j("a2"), j("b")), read(j("b"))]  # over an existing file
    o += [call(os.rename, j("d1"), j("d2")), st(j("d2"))]  # over an empty directory
    o += [call(os.rename, j("d2"), j("full"))]  # ENOTEMPTY
    o += [call(os.rename, j("b"), j("full"))]  # EISDIR
    o += [call(os.rename, j("full"), j("b"))]  # ENOTDIR
    o += [call(os.rename, j("missing"), j("z"))]  # ENOENT
    o += [call(os.rename, j("full"), j("full", "sub"))]  # EINVAL
    write(j("c"), b"c")
    o += [call(renameat2, j("c"), j("b"), RENAME_NOREPLACE)]  # EEXIST
    o += [call(renameat2, j("c"), j("b"), RENAME_EXCHANGE), read(j("b")), read(j("c"))]
    o += [call(renameat2, j("c"), j("nothere"), RENAME_EXCHANGE)]  # ENOENT
    o += [call(os.rename, j("b"), j("full", "moved")), read(j("full", "moved"))]
    o += [call(os.rename, "/".join([d, "..", "fixtures", "rootfile"]), j("stolen"))]  # EACCES/EPERM for nobody? (sticky)
    return o


def case_rmdir(d):
    j = lambda *n: os.path.join(d, *n)
    os.mkdir(j("e")); os.mkdir(j("full")); write(j("full", "x"), b""); write(j("f"), b"")
    return [call(os.rmdir, j("e")), st(j("e")), call(os.rmdir, j("full")), call(os.rmdir, j("f")),
            call(os.rmdir, j("missing")), call(os.rmdir, j("full", "x", "y")),
            call(os.rmdir, "/".join([d, "..", "fixtures", "closed", "inner"]))]


def case_symlink(d):
    j = lambda *n: os.path.join(d, *n)
    o = [call(os.symlink, "target", j("l")), st(j("l")), os.readlink(j("l"))]
    o += [call(os.symlink, "other", j("l"))]  # EEXIST
    o += [call(os.symlink, "/etc/passwd", j("abs")), os.readlink(j("abs"))]
    o += [call(os.symlink, "x" * 4000, j("long")), len(os.readlink(j("long")))]
    o += [call(os.symlink, "t", j("no", "l"))]
    o += [call(os.readlink, j("missing"))]
    write(j("f"), b"")
    o += [call(os.readlink, j("f"))]  # EINVAL
    o += [call(os.symlink, "t", "/".join([d, "..", "fixtures", "closed", "l"]))]
    return o


def case_truncate(d):
    f = os.path.join(d, "f"); write(f, b"0123456789")
    o = [call(os.truncate, f, 4), read(f), call(os.truncate, f, 100000), st(f), read(f)[:6]]
    o += [call(os.truncate, f, 0), st(f), call(os.truncate, f, -1)]  # EINVAL
    o += [call(os.truncate, d, 0)]  # EISDIR
    o += [call(os.truncate, os.path.join(d, "missing"), 0)]
    os.chmod(f, 0o444)
    o += [call(os.truncate, f, 1)]  # EACCES unless root
    o += [call(os.truncate, "/".join([d, "..", "fixtures", "rootfile"]), 0)]
    return o


def case_unlink(d):
    j = lambda *n: os.path.join(d, *n)
    write(j("f"), b""); os.mkdir(j("dir")); os.symlink("f", j("l"))
    return [call(os.unlink, j("l")), st(j("f")), call(os.unlink, j("f")), st(j("f")), call(os.unlink, j("dir")),
            call(os.unlink, j("missing")), call(os.unlink, "/".join([d, "..", "fixtures", "closed", "inner"])),
            call(os.unlink, j("f", "x"))]


def case_utimensat(d):
    f = os.path.join(d, "f"); write(f, b"x")
    os.symlink("f", os.path.join(d, "l"))
    o = [call(os.utime, f, ns=(1_000_000_123, 2_000_000_456)), times(f)]
    o += [call(os.utime, os.path.join(d, "l"), ns=(3_000_000_789, 4_000_000_012), follow_symlinks=False),
          times(os.path.join(d, "l")), times(f)]
    # UTIME_OMIT for atime through ctypes: utimensat(AT_FDCWD, f, {OMIT, t}, 0)
    class timespec(ctypes.Structure):
        _fields_ = [("tv_sec", ctypes.c_long), ("tv_nsec", ctypes.c_long)]
    ts = (timespec * 2)(timespec(0, (1 << 30) - 2), timespec(5, 6))
    r = libc.utimensat(AT_FDCWD, f.encode(), ts, 0)
    o += [r if r == 0 else ename(ctypes.get_errno()), times(f)]
    before = os.stat(f).st_mtime_ns
    o += [call(os.utime, f), os.stat(f).st_mtime_ns > before]  # UTIME_NOW
    o += [call(os.utime, os.path.join(d, "missing"), ns=(1, 1))]
    root = "/".join([d, "..", "fixtures", "rootfile"])
    o += [call(os.utime, root, ns=(1, 1)), call(os.utime, root)]  # EPERM, EACCES for non-root
    o += [call(os.utime, "/".join([d, "..", "fixtures", "suid"]))]  # NOW needs only write access
    return o


def case_ftruncate(d):
    f = os.path.join(d, "f"); write(f, b"0123456789")
    fd = os.open(f, os.O_RDWR)
    o = [call(os.ftruncate, fd, 3), os.fstat(fd).st_size, call(os.ftruncate, fd, 1 << 20), os.fstat(fd).st_size,
         call(os.ftruncate, fd, -1)]
    os.close(fd)
    fd = os.open(f, os.O_RDONLY)
    o += [call(os.ftruncate, fd, 0)]  # EINVAL: not open for writing
    os.close(fd)
    os.chmod(f, 0o4777)
    fd = os.open(f, os.O_RDWR)
    o += [call(os.ftruncate, fd, 5), st(f)]
    os.close(fd)
    return o


def case_posix_fallocate(d):
    f = os.path.join(d, "f"); write(f, b"x")
    fd = os.open(f, os.O_RDWR)
    o = [call(os.posix_fallocate, fd, 0, 65536), os.fstat(fd).st_size, call(os.posix_fallocate, fd, 1 << 20, 4096),
         os.fstat(fd).st_size, call(os.posix_fallocate, fd, -1, 10), call(os.posix_fallocate, fd, 0, 0)]
    os.close(fd)
    fd = os.open(f, os.O_RDONLY)
    o += [call(os.posix_fallocate, fd, 0, 10)]  # EBADF
    os.close(fd)
    return o


def case_unix_socket(d):
    p = os.path.join(d, "s")
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    o = [call(srv.bind, p), st(p)]
    srv.listen(1)
    cli = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    o += [call(cli.connect, p)]
    conn, _ = srv.accept()
    cli.sendall(b"over the mount")
    o += [conn.recv(100)]
    for s in (conn, cli, srv):
        s.close()
    o += [call(srv.bind, p) if False else call(socket.socket(socket.AF_UNIX).bind, p)]  # EADDRINUSE
    return o


def case_mmap_shared(d):
    f = os.path.join(d, "f"); write(f, b"\0" * 8192)
    fd = os.open(f, os.O_RDWR)
    try:
        m = mmap.mmap(fd, 8192, mmap.MAP_SHARED, mmap.PROT_READ | mmap.PROT_WRITE)
    except OSError as e:
        os.close(fd)
        return [ename(e.errno)]
    m[100:105] = b"shared"[:5]
    m.flush()
    m.close()
    os.close(fd)
    return ["ok", read(f)[98:108]]


CASES = [(n[5:], f) for n, f in sorted(globals().items()) if n.startswith("case_")]


def setup(trees):
    for t in trees:
        fx = os.path.join(t, "fixtures")
        os.makedirs(fx, exist_ok=True)
        os.chmod(t, 0o777)
        os.chmod(fx, 0o755)
        write(os.path.join(fx, "rootfile"), b"root only", mode=0o600)
        os.chmod(os.path.join(fx, "rootfile"), 0o600)
        write(os.path.join(fx, "suid"), b"0", mode=0o777)
        os.chown(os.path.join(fx, "suid"), NOBODY + 1 if False else 0, 0)
        os.chmod(os.path.join(fx, "suid"), 0o6777)
        os.makedirs(os.path.join(fx, "closed", "inner"), exist_ok=True)
        os.chmod(os.path.join(fx, "closed"), 0o755)


def run(a, b, tag):
    os.umask(0o022)
    diffs = 0
    total = 0
    for name, fn in CASES:
        results = []
        for t in (a, b):
            d = os.path.join(t, "%s-%s" % (tag, name))
            os.mkdir(d)
            try:
                results.append([repr(x) for x in fn(d)])
            except Exception as e:  # a case that blows up is a difference too
                results.append(["raised %s: %s" % (type(e).__name__, e)])
        ra, rb = results
        total += max(len(ra), len(rb))
        if ra != rb:
            diffs += 1
            print("DIFF %s/%s:" % (tag, name))
            for i in range(max(len(ra), len(rb))):
                x = ra[i] if i < len(ra) else "-"
                y = rb[i] if i < len(rb) else "-"
                if x != y:
                    print("  #%d mount: %s\n      plain: %s" % (i, x, y))
    print("%s: %d families, %d observations, %d families differ" % (tag, len(CASES), total, diffs))
    return 1 if diffs else 0


if __name__ == "__main__":
    if len(sys.argv) >= 4 and sys.argv[1] == "setup":
        setup(sys.argv[2:4])
        sys.exit(0)
    if len(sys.argv) >= 4 and sys.argv[1] == "run":
        tag = sys.argv[5] if len(sys.argv) > 5 and sys.argv[4] == "--tag" else ("root" if ROOT else "user%d" % os.geteuid())
        sys.exit(run(sys.argv[2], sys.argv[3], tag))
    print(__doc__)
    sys.exit(2)
