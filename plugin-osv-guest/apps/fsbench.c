// fsbench.c — sequential and random reads of a file with a chosen block size; reports MB/s from
// the guest clock and the FUSE requests the kernel sent (osv_fuse_requests, also /proc/fuse-stats).
//   fsbench FILE [-b BLOCK] [-m seq|rand|both] [-n PASSES] [--json]
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
    fprintf(stderr, "usage: fsbench FILE [-b BLOCK] [-m seq|rand|both] [-n PASSES] [--json]\n"
                    "       fsbench --create FILE MIB\n");
    return 2;
  }
  const char *path = argv[1], *mode = "both";
  long bs = 4096, passes = 1;
  int json = 0;
  for (int i = 2; i < argc; i++) {
    if (!strcmp(argv[i], "-b") && i + 1 < argc) {
      char *e;
      bs = strtol(argv[++i], &e, 10);
      if (*e == 'k' || *e == 'K') bs *= 1024;
      if (*e == 'm' || *e == 'M') bs *= 1024 * 1024;
    } else if (!strcmp(argv[i], "-m") && i + 1 < argc) mode = argv[++i];
    else if (!strcmp(argv[i], "-n") && i + 1 < argc) passes = atol(argv[++i]);
    else if (!strcmp(argv[i], "--json")) json = 1;
    else return fprintf(stderr, "fsbench: bad argument %s\n", argv[i]), 2;
  }
  if (bs <= 0 || bs > (16 << 20)) return fprintf(stderr, "fsbench: block size out of range\n"), 2;
  int fd = open(path, O_RDONLY);
  if (fd < 0) return perror(path), 1;
  struct stat st;
  fstat(fd, &st);
  long size = (long)st.st_size, nblocks = size / bs;
  if (nblocks == 0) return fprintf(stderr, "fsbench: %s smaller than one block\n", path), 1;
  char *buf = malloc((size_t)bs);
  int rc = 0;
  for (int m = 0; m < 2; m++) {
    const char *name = m ? "rand" : "seq";
    if (strcmp(mode, "both") && strcmp(mode, name)) continue;
    long r0 = osv_fuse_requests(), bytes = 0;
    unsigned long sum = 0;
    double t0 = now_s();
    for (long p = 0; p < passes; p++)
      for (long b = 0; b < nblocks; b++) {
        long off = (m ? (long)(next_rand() % (unsigned long long)nblocks) : b) * bs;
        long n = osv_pread(fd, buf, (size_t)bs, off);
        if (n != bs) {
          fprintf(stderr, "fsbench: short read %ld at %ld\n", n, off);
          rc = 1;
          break;
        }
        sum += (unsigned char)buf[0] + (unsigned char)buf[bs - 1];
        bytes += n;
      }
    double dt = now_s() - t0;
    long reqs = osv_fuse_requests() - r0;
    double mib = bytes / 1048576.0;
    if (json)
      printf("{\"mode\":\"%s\",\"block\":%ld,\"bytes\":%ld,\"seconds\":%.6f,\"MBps\":%.2f,\"fuse_requests\":%ld,"
             "\"requests_per_MiB\":%.2f}\n",
             name, bs, bytes, dt, bytes / 1e6 / dt, reqs, reqs / mib);
    else
      printf("%-4s bs=%-8ld %8.2f MiB in %7.3f s = %8.2f MB/s, %6ld FUSE requests (%.2f per MiB) [sum %lu]\n", name,
             bs, mib, dt, bytes / 1e6 / dt, reqs, reqs / mib, sum);
  }
  free(buf);
  close(fd);
  return rc;
}
