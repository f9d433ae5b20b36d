#!/bin/bash
# Builds Drydock's Linux guest: a riscv64 kernel Image from Debian's linux-source-6.12 with the committed
# config fragment (kernel/drydock.config on top of tinyconfig), and an initramfs (guest/*.c, our own static
# init and file-system suite, packed by guest/mkcpio.py). Cached under build/linux-guest/ by the hash of
# every input, so a second run with the same inputs does nothing.
#
#   plugins/linux-guest/build.sh [--jobs N] [--print]    # prints the output directory on stdout
#
# Output: build/linux-guest/out/{Image,initramfs.cpio,init,fstest-<arch>,kernel.key,build-seconds}
# Needs: /usr/src/linux-source-6.12.tar.xz (linux-source-6.12), gcc-riscv64-linux-gnu,
# libc6-dev-riscv64-cross, flex, bison, bc, libssl-dev, libelf-dev, python3. Runs under nice.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
OUT_BASE="${LINUX_GUEST_BUILD:-$ROOT/build/linux-guest}"
TARBALL="${LINUX_SOURCE_TARBALL:-/usr/src/linux-source-6.12.tar.xz}"
CROSS=riscv64-linux-gnu-
JOBS="$(nproc)"
while [ $# -gt 0 ]; do
  case "$1" in
    --jobs) JOBS="$2"; shift 2 ;;
    --print) shift ;;
    *) echo "build.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
[ -f "$TARBALL" ] || { echo "build.sh: $TARBALL missing (apt-get install linux-source-6.12)" >&2; exit 1; }
command -v ${CROSS}gcc >/dev/null || { echo "build.sh: ${CROSS}gcc missing (gcc-riscv64-linux-gnu)" >&2; exit 1; }

mkdir -p "$OUT_BASE"
# The kernel's key: the source tarball, the fragment, this script, the compiler. The initramfs's key adds the guest sources.
tar_id="$(stat -c '%s %Y' "$TARBALL") $(basename "$TARBALL")"
kernel_key="$( { echo "$tar_id"; cat "$HERE/kernel/drydock.config" "$HERE/build.sh"; ${CROSS}gcc --version | head -1; } | sha256sum | cut -c1-16)"
OUT="$OUT_BASE/out"
mkdir -p "$OUT"

if [ -f "$OUT/Image" ] && [ "$(cat "$OUT/kernel.key" 2>/dev/null)" = "$kernel_key" ]; then
  echo "build.sh: kernel up to date ($kernel_key)" >&2
else
  SRC="$OUT_BASE/src"
  if [ "$(cat "$SRC/.tarball" 2>/dev/null)" != "$tar_id" ]; then
    echo "build.sh: extracting $TARBALL" >&2
    rm -rf "$SRC"; mkdir -p "$SRC"
    nice tar -xJf "$TARBALL" -C "$SRC" --strip-components=1
    echo "$tar_id" > "$SRC/.tarball"
  fi
  OBJ="$OUT_BASE/obj"
  mkdir -p "$OBJ"
  start=$(date +%s)
  make="nice make -s -C $SRC O=$OBJ ARCH=riscv CROSS_COMPILE=$CROSS"
  $make tinyconfig >/dev/null
  cp "$OBJ/.config" "$OBJ/.config.tiny"
  "$SRC/scripts/kconfig/merge_config.sh" -m -O "$OBJ" "$OBJ/.config.tiny" "$HERE/kernel/drydock.config" >/dev/null
  $make olddefconfig >/dev/null
  # Every =y of the fragment must have survived olddefconfig (an unmet dependency drops an option silently)
  missing=0
  while IFS= read -r line; do
    case "$line" in CONFIG_*=y) grep -qx "$line" "$OBJ/.config" || { echo "build.sh: $line did not survive olddefconfig" >&2; missing=1; } ;; esac
  done < <(grep -v '^#' "$HERE/kernel/drydock.config" | grep -E 'CONFIG_(RISCV_ISA_FALLBACK|FUSE_DAX|FS_DAX|VIRTIO_FS|VIRTIO_PCI|VIRTIO_MMIO|SERIAL_8250|DEVTMPFS|BLK_DEV_INITRD|SMP|PCI_HOST_GENERIC|POWER_RESET_SYSCON)=')
  [ $missing = 0 ] || exit 1
  echo "build.sh: building Image with -j$JOBS (load: $(cut -d' ' -f1-3 /proc/loadavg))" >&2
  $make -j"$JOBS" Image
  cp "$OBJ/arch/riscv/boot/Image" "$OBJ/.config" "$OUT/"
  echo $(( $(date +%s) - start )) > "$OUT/build-seconds"
  echo "$kernel_key" > "$OUT/kernel.key"
  echo "build.sh: kernel built in $(cat "$OUT/build-seconds") s (load: $(cut -d' ' -f1-3 /proc/loadavg))" >&2
fi

guest_key="$( { echo "$kernel_key"; cat "$HERE"/guest/*.c "$HERE"/guest/*.py; ${CROSS}gcc --version | head -1; } | sha256sum | cut -c1-16)"
if [ -f "$OUT/initramfs.cpio" ] && [ "$(cat "$OUT/guest.key" 2>/dev/null)" = "$guest_key" ]; then
  echo "build.sh: initramfs up to date ($guest_key)" >&2
else
  CFLAGS="-static -O2 -Wall -Wextra -Werror -D_GNU_SOURCE"
  ${CROSS}gcc $CFLAGS -o "$OUT/fstest-riscv64" "$HERE/guest/fstest.c"
  ${CROSS}gcc $CFLAGS -o "$OUT/init" "$HERE/guest/init.c"
  python3 "$HERE/guest/mkcpio.py" "$OUT/initramfs.cpio" \
    dir:/dev dir:/proc dir:/sys dir:/mnt dir:/tmp dir:/bin \
    char:/dev/console:5:1 \
    "file:/init:$OUT/init" "file:/bin/fstest:$OUT/fstest-riscv64"
  echo "$guest_key" > "$OUT/guest.key"
  echo "build.sh: initramfs built ($guest_key)" >&2
fi
echo "$OUT"
