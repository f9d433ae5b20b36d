// timer.c — CLINT mtime/mtimecmp (privileged spec §3.2.1; virt-platform.md §1: CLINT at
// 0x2000000, mtimecmp +0x4000, mtime +0xBFF8, 10 MHz) and the goldfish RTC for wall-clock time.
#include "kernel.h"

#define CLINT_MTIME 0x200BFF8UL
#define GOLDFISH_RTC 0x101000UL

u64 timebase_hz = 10000000;

u64 timer_now(void) { return mmio_r64(CLINT_MTIME); }

u64 timer_ns(void) {
  u64 t = timer_now();
  return (t / timebase_hz) * 1000000000ULL + (t % timebase_hz) * 1000000000ULL / timebase_hz;
}

// goldfish RTC: TIME_LOW at 0x00 latches TIME_HIGH at 0x04, ns since the epoch.
u64 rtc_boot_ns(void) {
  static u64 at_boot_ns, at_boot_mtime;
  static bool done;
  if (!done) {
    u32 lo = mmio_r32(GOLDFISH_RTC + 0);
    u32 hi = mmio_r32(GOLDFISH_RTC + 4);
    at_boot_mtime = timer_ns();
    at_boot_ns = ((u64)hi << 32) | lo;
    done = true;
  }
  return at_boot_ns - at_boot_mtime;
}
