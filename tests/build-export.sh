#!/usr/bin/env bash
# tests/build-export.sh — scripts/build never deletes a user's files in the export (issue 14 item 7), and
# scripts/run starts the app scripts/build's image= chose (issue 14 item 2). Run by scripts/test; needs
# the Java build (scripts/setup or mvn install) for the scripts/run part.
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
cd "$root"
fail() { echo "FAILED: $*" >&2; exit 1; }
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"; scripts/build fs=virtiofs export=all image=cli prebuilt=1 >/dev/null 2>&1 || true' EXIT
build() { plugin-osv-guest/scripts/build fs=virtiofs prebuilt=1 export_dir="$tmp/export" "$@"; }

build export=all image=cli data=1M >/dev/null
[[ -x "$tmp/export/cli" && -f "$tmp/export/data/1M.bin" && -x "$tmp/export/t_files" ]] || fail "the first build did not lay out cli, t_files and data/1M.bin"
echo "my notes" >"$tmp/export/data/notes.txt"
mkdir -p "$tmp/export/work" && echo "wip" >"$tmp/export/work/file.c"
echo "my own motd" >"$tmp/export/etc/motd"
echo "changed" >"$tmp/export/hello"

build export=all image=cli data=1M >/dev/null 2>"$tmp/err"
[[ "$(cat "$tmp/export/data/notes.txt")" == "my notes" ]] || fail "a rebuild lost a file the user added to data/"
[[ -f "$tmp/export/work/file.c" ]] || fail "a rebuild lost a directory the user made"
[[ "$(cat "$tmp/export/etc/motd")" == "my own motd" ]] || fail "a rebuild overwrote the user's edit of etc/motd"
[[ "$(cat "$tmp/export/hello")" == "changed" ]] || fail "a rebuild overwrote the user's edit of /hello"
grep -q "kept $tmp/export/etc/motd" "$tmp/err" || fail "the rebuild did not say it kept etc/motd: $(cat "$tmp/err")"
echo "ok: a rebuild keeps the user's added files and edits, and says so"

rm "$tmp/export/hello"
build export=selected image=hello >/dev/null 2>&1
[[ -x "$tmp/export/hello" ]] || fail "a deleted app the build owns was not laid out again"
[[ ! -e "$tmp/export/t_files" && ! -e "$tmp/export/cli" && ! -e "$tmp/export/data/1M.bin" ]] \
    || fail "files an earlier build wrote, unchanged, were not removed when the new build no longer lays them out"
[[ -f "$tmp/export/data/notes.txt" && -f "$tmp/export/work/file.c" ]] || fail "image=hello export=selected lost user files"
echo "ok: switching images removes only what the build wrote and nobody changed"

build export=all image=cli --clean >/dev/null 2>"$tmp/err"
[[ ! -e "$tmp/export/data/notes.txt" && ! -e "$tmp/export/work" ]] || fail "--clean left the user's files"
grep -q "Welcome to the Drydock" "$tmp/export/etc/motd" || fail "--clean did not lay out etc/motd afresh"
[[ ! -s "$tmp/err" ]] || fail "--clean warned: $(cat "$tmp/err")"
echo "ok: --clean lays out a fresh tree"

# scripts/run honours what scripts/build made: image=hello is the app scripts/run starts without -e.
scripts/build fs=virtiofs export=selected image=hello prebuilt=1 >/dev/null
set +e
out="$(timeout 120 scripts/run --virtio-fs-dir=build/export </dev/null 2>&1)"; rc=$?
set -e
(( rc == 0 )) || fail "scripts/run after scripts/build image=hello exited $rc: $out"
grep -q "Hello from the OSv-like guest" <<<"$out" || fail "scripts/run after image=hello did not run /hello: $out"
echo "ok: scripts/build image=hello, then scripts/run starts /hello (exit 0)"
