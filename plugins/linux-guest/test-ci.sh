#!/bin/bash
# scripts/test's Linux-guest block: builds the kernel and initramfs (cached; the build's seconds are
# printed), then runs the file-system suite, each run compared with fstest.expected: on QEMU 7.2 + the C
# virtiofsd and + Drydock's virtiofsd (scripts/virtiofsd --sandbox namespace, issue #17), both PCI; on
# Drydock with its in-process server (PCI with DAX, and virtio-mmio) and with the C virtiofsd over vhost-user
# (--virtio-fs-socket). Exit 77 (SKIP) when a tool is missing; the vhost-user runs need root (the C virtiofsd).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
for t in riscv64-linux-gnu-gcc qemu-system-riscv64 /usr/lib/qemu/virtiofsd flex bison bc python3; do
  command -v "$t" >/dev/null || { echo "SKIP: $t is not installed (.ci/run installs it)"; exit 77; }
done
[ -f /usr/src/linux-source-6.12.tar.xz ] || { echo "SKIP: /usr/src/linux-source-6.12.tar.xz missing (linux-source-6.12)"; exit 77; }
[ -f /usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin ] || { echo "SKIP: Debian's opensbi is not installed"; exit 77; }
start=$(date +%s)
"$HERE/build.sh" > /dev/null
echo "linux-guest: build.sh took $(( $(date +%s) - start )) s (kernel build itself: $(cat "$("$HERE/build.sh" 2>/dev/null)/build-seconds") s when it last ran; load $(cut -d' ' -f1-3 /proc/loadavg))"
"$HERE/run-suite.sh" --engine qemu --virtiofsd c --transport pci
"$HERE/run-suite.sh" --engine qemu --virtiofsd ours --transport pci
"$HERE/run-suite.sh" --engine drydock --transport pci --dax on
"$HERE/run-suite.sh" --engine drydock --transport mmio
"$HERE/run-suite.sh" --engine drydock --virtiofsd c --transport pci
