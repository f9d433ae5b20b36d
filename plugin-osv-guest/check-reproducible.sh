#!/usr/bin/env bash
# check-reproducible.sh — rebuild the kernel and every app from source in a scratch copy of
# this directory (a different path on purpose) and compare byte for byte with prebuilt/.
# Needs the Debian cross toolchains listed in README.md; exits 77 (skip) without them.
#   --update   copy the fresh build into prebuilt/ instead of comparing
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
for t in riscv64-unknown-elf-gcc riscv64-linux-gnu-gcc; do
  command -v $t >/dev/null || { echo "check-reproducible: SKIP: $t not installed"; exit 77; }
done
scratch=$(mktemp -d /tmp/osv-repro.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/src"
cp -r "$here/kernel" "$here/apps" "$scratch/src/"
rm -rf "$scratch/src/kernel/build" "$scratch/src/apps/build"
export SOURCE_DATE_EPOCH=0 LC_ALL=C TZ=UTC
make -s -C "$scratch/src/kernel" >/dev/null
make -s -C "$scratch/src/apps" all glibc >/dev/null
fresh="$scratch/out"
mkdir -p "$fresh"
cp "$scratch/src/kernel/build/osv-kernel.elf" "$fresh/"
for f in "$scratch"/src/apps/build/*; do [ -f "$f" ] && cp "$f" "$fresh/"; done
if [ "${1:-}" = --update ]; then
  rm -f "$here"/prebuilt/*
  cp "$fresh"/* "$here/prebuilt/"
  (cd "$here/prebuilt" && sha256sum * > SHA256SUMS)
  echo "check-reproducible: prebuilt/ updated ($(ls "$fresh" | wc -l) files)"
  exit 0
fi
rc=0
for f in "$fresh"/*; do
  n=$(basename "$f")
  if cmp -s "$f" "$here/prebuilt/$n"; then echo "same      $n"; else echo "DIFFERENT $n"; rc=1; fi
done
for f in "$here"/prebuilt/*; do
  n=$(basename "$f"); [ "$n" = SHA256SUMS ] && continue
  [ -f "$fresh/$n" ] || { echo "STALE     $n (no source builds it)"; rc=1; }
done
[ $rc = 0 ] && echo "check-reproducible: all $(ls "$fresh" | wc -l) files identical" || echo "check-reproducible: MISMATCH"
exit $rc
