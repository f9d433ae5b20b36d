#!/usr/bin/env python3
"""Writes an initramfs: a cpio archive in the "newc" format (Linux Documentation/driver-api/early-userspace/
buffer-format.rst), with no root needed: owners are 0:0 and device nodes are written as entries, not mknod'ed.
Every mtime is 0, so the same inputs give the same bytes.

    mkcpio.py OUT.cpio dir:/dev char:/dev/console:5:1 file:/init:build/init ...
"""
import os
import stat
import sys


def entry(out, ino, name, mode, data=b"", rdev=(0, 0), nlink=1):
    name_b = name.encode() + b"\0"
    fields = [ino, mode, 0, 0, nlink, 0, len(data), 0, 0, rdev[0], rdev[1], len(name_b), 0]
    out.write(b"070701" + b"".join(b"%08x" % f for f in fields))
    out.write(name_b)
    out.write(b"\0" * (-(110 + len(name_b)) % 4))
    out.write(data)
    out.write(b"\0" * (-len(data) % 4))


def main(argv):
    if len(argv) < 2:
        sys.exit(__doc__)
    with open(argv[1], "wb") as out:
        ino = 1
        for spec in argv[2:]:
            kind, _, rest = spec.partition(":")
            if kind == "dir":
                entry(out, ino, rest.lstrip("/"), stat.S_IFDIR | 0o755, nlink=2)
            elif kind == "char":
                path, major, minor = rest.rsplit(":", 2)
                entry(out, ino, path.lstrip("/"), stat.S_IFCHR | 0o600, rdev=(int(major), int(minor)))
            elif kind == "file":
                path, src = rest.split(":", 1)
                with open(src, "rb") as f:
                    entry(out, ino, path.lstrip("/"), stat.S_IFREG | 0o755, f.read())
            else:
                sys.exit("mkcpio.py: unknown entry kind in " + spec)
            ino += 1
        entry(out, 0, "TRAILER!!!", 0)


if __name__ == "__main__":
    main(sys.argv)
