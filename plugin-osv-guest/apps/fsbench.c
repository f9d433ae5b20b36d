// fsbench.c — sequential and random reads of a file with a chosen block size, by pread() or, with
// --mmap, from one read-only mapping of the whole file (zero copy when the kernel has a DAX
// window). Reports MB/s from the guest clock, the FUSE requests the kernel sent (osv_fuse_requests,
// also /proc/fuse-stats) and a checksum of every byte consumed: FNV-1a 64 over little-endian 64-bit
// words (a trailing partial word zero-extended). For a seq pass over a file whose size is a multiple
// of the block, that is the checksum of the whole file, comparable with one computed on the host.
// MB/s includes the checksum (the app consumes each byte once in every mode).
//   fsbench FILE [-b BLOCK] [-m seq|rand|both] [-n PASSES] [--mmap] [--json]
//   fsbench --create FILE MIB      (writes MIB MiB of a deterministic pattern, then fsyncs)
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "osv.h"

static double now_s(void) {
  struct timespec ts;
  osv_clock_gettime(OSV_CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static unsigned long long rng = 0x2545f4914f6cdd1dULL;
static unsigned long long next_rand(void) {
  rng ^= rng >> 12, rng ^= rng << 25, rng ^= rng >> 27;
  return rng * 0x2545f4914f6cdd1dULL;
}

#define FNV_BASIS 0xcbf29ce484222325ULL
#define FNV_PRIME 0x100000001b3ULL
static unsigned long long fnv_words(unsigned long long h, const unsigned char *p, long n) {
  if (((unsigned long)p & 7) == 0)
    for (; n >= 8; n -= 8, p += 8) h = (h ^ *(const unsigned long long *)p) * FNV_PRIME;
  for (; n > 0; n -= 8, p += 8) {
    unsigned long long w = 0;
    for (int i = 0; i < 8 && i < n; i++) w |= (unsigned long long)p[i] << (8 * i);
    h = (h ^ w) * FNV_PRIME;
  }
  return h;
}

static int create(const char *path, long mib) {
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) return perror(path), 1;
  static unsigned char buf[1 << 20];
  double t0 = now_s();
  long r0 = osv_fuse_requests();
  for (long m = 0; m < mib; m++) {
    for (size_t i = 0; i < sizeof(buf); i++) buf[i] = (unsigned char)(i * 7 + m * 13);
    if (write(fd, buf, sizeof(buf)) != (ssize_t)sizeof(buf)) return perror("write"), 1;
  }
  osv_fsync(fd);
  close(fd);
  double dt = now_s() - t0;
  printf("create %s: %ld MiB in %.3f s, %.1f MB/s, %ld FUSE requests\n", path, mib, dt, mib * 1.048576 / dt,
         osv_fuse_requests() - r0);
  return 0;
}

int main(int argc, char **argv) {
  if (argc >= 4 && !strcmp(argv[1], "--create")) return create(argv[2], atol(argv[3]));
  if (argc < 2) {
    fprintf(stderr, "usage: fsbench FILE [-b BLOCK] [-m seq|rand|both] [-n PASSES] [--mmap] [--json]\n"
                    "       fsbench --create FILE MIB\n");
    return 2;
  }
  const char *path = argv[1], *mode = "both";
  long bs = 4096, passes = 1;
  int json = 0, use_mmap = 0;
  for (int i = 2; i < argc; i++) {
    if (!strcmp(argv[i], "-b") && i + 1 < argc) {
      char *e;
      bs = strtol(argv[++i], &e, 10);
      if (*e == 'k' || *e == 'K') bs *= 1024;
      if (*e == 'm' || *e == 'M') bs *= 1024 * 1024;
    } else if (!strcmp(argv[i], "-m") && i + 1 < argc) mode = argv[++i];
    else if (!strcmp(argv[i], "-n") && i + 1 < argc) passes = atol(argv[++i]);
    else if (!strcmp(argv[i], "--json")) json = 1;
    else if (!strcmp(argv[i], "--mmap")) use_mmap = 1;
    else return fprintf(stderr, "fsbench: bad argument %s\n", argv[i]), 2;
  }
  if (bs <= 0 || bs > (16 << 20)) return fprintf(stderr, "fsbench: block size out of range\n"), 2;
  int fd = open(path, O_RDONLY);
  if (fd < 0) return perror(path), 1;
  struct stat st;
  fstat(fd, &st);
  long size = (long)st.st_size, nblocks = size / bs;
  if (nblocks == 0) return fprintf(stderr, "fsbench: %s smaller than one block\n", path), 1;
  char *buf = use_mmap ? NULL : malloc((size_t)bs);
  int rc = 0;
  for (int m = 0; m < 2; m++) {
    const char *name = m ? "rand" : "seq";
    if (strcmp(mode, "both") && strcmp(mode, name)) continue;
    long r0 = osv_fuse_requests(), bytes = 0;
    unsigned long long sum = FNV_BASIS;
    double t0 = now_s();
    const unsigned char *map = NULL;
    if (use_mmap) {  // mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0): Linux riscv64 nr 222
      long a = osv_syscall(222, 0, size, 1, 2, fd, 0);
      if (a < 0 && a > -4096) return fprintf(stderr, "fsbench: mmap: error %ld\n", -a), 1;
      map = (const unsigned char *)a;
    }
    for (long p = 0; p < passes; p++)
      for (long b = 0; b < nblocks; b++) {
        long off = (m ? (long)(next_rand() % (unsigned long long)nblocks) : b) * bs;
        if (map) {
          sum = fnv_words(sum, map + off, bs);
          bytes += bs;
          continue;
        }
        long n = osv_pread(fd, buf, (size_t)bs, off);
        if (n != bs) {
          fprintf(stderr, "fsbench: short read %ld at %ld\n", n, off);
          rc = 1;
          break;
        }
        sum = fnv_words(sum, (const unsigned char *)buf, n);
        bytes += n;
      }
    if (map) osv_syscall(215, (long)map, size, 0, 0, 0, 0);  // munmap
    double dt = now_s() - t0;
    long reqs = osv_fuse_requests() - r0;
    double mib = bytes / 1048576.0;
    if (json)
      printf("{\"mode\":\"%s\",\"io\":\"%s\",\"block\":%ld,\"bytes\":%ld,\"seconds\":%.6f,\"MBps\":%.2f,"
             "\"fuse_requests\":%ld,\"requests_per_MiB\":%.2f,\"fnv1a64\":\"%016llx\"}\n",
             name, map ? "mmap" : "pread", bs, bytes, dt, bytes / 1e6 / dt, reqs, reqs / mib, sum);
    else
      printf("%-4s %s bs=%-8ld %8.2f MiB in %7.3f s = %8.2f MB/s, %6ld FUSE requests (%.2f per MiB) fnv1a64 %016llx\n",
             name, map ? "mmap" : "pread", bs, mib, dt, bytes / 1e6 / dt, reqs, reqs / mib, sum);
  }
  free(buf);
  close(fd);
  return rc;
}
