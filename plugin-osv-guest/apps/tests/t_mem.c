// t_mem.c — brk, anonymous and file mmap, munmap, mprotect. Usage: t_mem DIR
#include "tcommon.h"

#define PROT_R 1
#define PROT_W 2
#define MAP_PRIV 2
#define MAP_FIX 0x10
#define MAP_ANON 0x20

int main(int argc, char **argv) {
  if (argc < 2) return 2;
  S1(NR_chdir, argv[1]);
  long cur = S1(NR_brk, 0);
  CHECK("brk query", cur > 0);
  long want = cur + (1 << 20);
  CHECK("brk grow", S1(NR_brk, want) == want);
  volatile char *p = (char *)cur;
  for (long i = 0; i < (1 << 20); i += 4096) p[i] = (char)i;
  long sum = 0;
  for (long i = 0; i < (1 << 20); i += 4096) sum += p[i];
  printf("brk memory sum = %ld\n", sum);
  CHECK("brk shrink", S1(NR_brk, cur) == cur);
  long m = S6(NR_mmap, 0, 1 << 20, PROT_R | PROT_W, MAP_PRIV | MAP_ANON, -1, 0);
  CHECK("mmap anon", m > 0 && (m & 4095) == 0);
  char *q = (char *)m;
  CHECK("mmap anon zeroed", q[0] == 0 && q[(1 << 20) - 1] == 0);
  for (int i = 0; i < (1 << 20); i++) q[i] = (char)(i % 251);
  sum = 0;
  for (int i = 0; i < (1 << 20); i++) sum += q[i];
  printf("mmap memory sum = %ld\n", sum);
  SHOW("munmap", S2(NR_munmap, m, 1 << 20));
  long r = S6(NR_mmap, 0, 8192, PROT_R, MAP_PRIV | MAP_ANON, -1, 0);
  SHOW("mprotect rw", S3(NR_mprotect, r, 8192, PROT_R | PROT_W));
  ((char *)r)[100] = 42;
  printf("after mprotect value = %d\n", ((char *)r)[100]);
  long again = S6(NR_mmap, r, 4096, PROT_R | PROT_W, MAP_PRIV | MAP_ANON | MAP_FIX, -1, 0);
  CHECK("MAP_FIXED same address", again == r);
  printf("MAP_FIXED replaced page value = %d\n", ((char *)r)[100]);
  S2(NR_munmap, r, 8192);
  // a file mapped read-only
  long fd = S4(NR_openat, FDCWD, "mapped", L_O_CREAT | L_O_RDWR | L_O_TRUNC, 0644);
  static char data[10000];
  for (int i = 0; i < 10000; i++) data[i] = (char)('a' + i % 26);
  SHOW("write file", S3(NR_write, fd, data, 10000));
  long fm = S6(NR_mmap, 0, 10000, PROT_R, MAP_PRIV, fd, 0);
  CHECK("mmap file", fm > 0);
  CHECK("mmap file contents", memcmp((char *)fm, data, 10000) == 0);
  CHECK("mmap file tail zero", ((char *)fm)[10000] == 0 && ((char *)fm)[12287] == 0);
  long fm2 = S6(NR_mmap, 0, 4096, PROT_R, MAP_PRIV, fd, 4096);
  CHECK("mmap file offset", fm2 > 0 && ((char *)fm2)[0] == data[4096]);
  SHOW("mmap offset unaligned", S6(NR_mmap, 0, 4096, PROT_R, MAP_PRIV, fd, 100));
  S2(NR_munmap, fm, 10000);
  S2(NR_munmap, fm2, 4096);
  S1(NR_close, fd);
  S3(NR_unlinkat, FDCWD, "mapped", 0);
  SHOW("mmap len 0", S6(NR_mmap, 0, 0, PROT_R, MAP_PRIV | MAP_ANON, -1, 0));
  SHOW("munmap unaligned", S2(NR_munmap, 4097, 4096));
  SHOW("mmap bad fd", S6(NR_mmap, 0, 4096, PROT_R, MAP_PRIV, 999, 0));
  long big = S6(NR_mmap, 0, 64L << 20, PROT_R | PROT_W, MAP_PRIV | MAP_ANON, -1, 0);
  for (long i = 0; i < (64L << 20); i += 1 << 20) ((char *)big)[i] = 1;
  sum = 0;
  for (long i = 0; i < (64L << 20); i += 1 << 20) sum += ((char *)big)[i];
  printf("64 MiB mapping touched pages = %ld\n", sum);
  SHOW("munmap big", S2(NR_munmap, big, 64L << 20));
  char *h = malloc(3 << 20);
  CHECK("malloc 3 MiB", h != NULL);
  memset(h, 7, 3 << 20);
  free(h);
  printf("done\n");
  return 0;
}
