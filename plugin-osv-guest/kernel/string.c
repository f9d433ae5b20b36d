// string.c — word-at-a-time memset and memcpy for the kernel. picolibc's versions (built for
// size) move a byte per iteration, which made page zeroing dominate the boot instruction count.
#include "kernel.h"

__attribute__((optimize("no-tree-loop-distribute-patterns"))) void *memset(void *dst, int c, size_t n) {
  u8 *d = dst;
  while (n && ((u64)d & 7)) *d++ = (u8)c, n--;
  u64 w = (u8)c;
  w |= w << 8, w |= w << 16, w |= w << 32;
  u64 *q = (u64 *)d;
  for (; n >= 64; n -= 64, q += 8) {
    q[0] = w, q[1] = w, q[2] = w, q[3] = w, q[4] = w, q[5] = w, q[6] = w, q[7] = w;
  }
  for (; n >= 8; n -= 8) *q++ = w;
  d = (u8 *)q;
  while (n--) *d++ = (u8)c;
  return dst;
}

__attribute__((optimize("no-tree-loop-distribute-patterns"))) void *memcpy(void *restrict dst, const void *restrict src, size_t n) {
  u8 *d = dst;
  const u8 *s = src;
  if ((((u64)d ^ (u64)s) & 7) == 0) {  // same alignment: copy words
    while (n && ((u64)d & 7)) *d++ = *s++, n--;
    u64 *qd = (u64 *)d;
    const u64 *qs = (const u64 *)s;
    for (; n >= 32; n -= 32, qd += 4, qs += 4) {
      u64 a = qs[0], b = qs[1], c = qs[2], e = qs[3];
      qd[0] = a, qd[1] = b, qd[2] = c, qd[3] = e;
    }
    for (; n >= 8; n -= 8) *qd++ = *qs++;
    d = (u8 *)qd, s = (const u8 *)qs;
  }
  while (n--) *d++ = *s++;
  return dst;
}
