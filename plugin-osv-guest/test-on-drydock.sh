#!/usr/bin/env bash
# test-on-drydock.sh — the checks of test-on-qemu.sh (cli session, syscall apps against Linux-derived
# expectations, host edits, bad command lines) with the guest booted on Drydock: same image, same
# expectations. Needs the Java build (scripts/setup).
here=$(cd "$(dirname "$0")" && pwd)
cd "$here" && OSV_RUNNER=scripts/run-drydock-osv OSV_TEST_NAME=test-on-drydock exec ./test-on-qemu.sh
