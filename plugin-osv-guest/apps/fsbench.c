// fsbench.c — sequential and random reads of a file with a chosen block size, by pread() or, with
// --mmap, from one read-only mapping of the whole file (zero copy when the kernel has a DAX
// window). Reports MB/s from the guest clock, the FUSE requests the kernel sent (osv_fuse_requests,
// also /proc/fuse-stats) and a checksum of every byte consumed: FNV-1a 64 over little-endian 64-bit
// words (a trailing partial word zero-extended). For a seq pass over a file whose size is a multiple
// of the block, that is the checksum of the whole file, comparable with one computed on the host.
// MB/s includes the checksum (the app consumes each byte once in every mode).
//   fsbench FILE [-b BLOCK] [-m seq|rand|both] [-n PASSES] [--mmap] [--json] [--lat]
//     --lat: also each pread's latency on the guest clock (one FUSE_READ per pread up to max_pages):
//     p50/p90/p99/max in microseconds
//   fsbench --create FILE MIB [BLOCK]   (writes MIB MiB of a deterministic pattern in BLOCK-byte writes,
//                                        default 1 MiB, then fsyncs)
//   fsbench --meta DIR N           (metadata: in a new DIR, create N small files, stat each, list DIR,
//                                   unlink each, rmdir DIR; operations/s and FUSE requests per phase)
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

static long parse_size(const char *a) {
  char *e;
  long v = strtol(a, &e, 10);
  if (*e == 'k' || *e == 'K') v *= 1024;
  if (*e == 'm' || *e == 'M') v *= 1024 * 1024;
  return v;
}

static int create(const char *path, long mib, long bs) {
  if (bs <= 0 || bs > (1 << 20) || (1 << 20) % bs) return fprintf(stderr, "fsbench: block must divide 1 MiB\n"), 2;
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) return perror(path), 1;
  static unsigned char buf[1 << 20];
  double t0 = now_s();
  long r0 = osv_fuse_requests();
  for (long m = 0; m < mib; m++) {
    for (size_t i = 0; i < sizeof(buf); i++) buf[i] = (unsigned char)(i * 7 + m * 13);
    for (long o = 0; o < (1 << 20); o += bs)
      if (write(fd, buf + o, (size_t)bs) != (ssize_t)bs) return perror("write"), 1;
  }
  osv_fsync(fd);
  close(fd);
  double dt = now_s() - t0;
  printf("create %s: %ld MiB in %.3f s, %.1f MB/s, bs=%ld, %ld FUSE requests\n", path, mib, dt, mib * 1.048576 / dt,
         bs, osv_fuse_requests() - r0);
  return 0;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

// One phase of --meta: its operations per second and FUSE requests, on one line.
static void meta_report(const char *phase, long ops, double t0, long r0) {
  double dt = now_s() - t0;
  printf("meta %-6s %6ld ops in %7.3f s = %9.1f ops/s, %6ld FUSE requests\n", phase, ops, dt, ops / dt,
         osv_fuse_requests() - r0);
}

static int meta(const char *dir, long n) {
  if (n <= 0 || n > 1000000) return fprintf(stderr, "fsbench: --meta N out of range\n"), 2;
  char path[512];
  static const char body[100] = "fsbench metadata file\n";
  if (osv_mkdir(dir, 0755) < 0) return perror(dir), 1;
  double all = now_s();
  long rall = osv_fuse_requests();
  double t0 = now_s();
  long r0 = osv_fuse_requests();
  for (long i = 0; i < n; i++) {
    snprintf(path, sizeof path, "%s/f%06ld", dir, i);
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
    if (fd < 0) return perror(path), 1;
    if (write(fd, body, sizeof body) != (ssize_t)sizeof body) return perror("write"), 1;
    close(fd);
  }
  meta_report("create", n, t0, r0);
  t0 = now_s(), r0 = osv_fuse_requests();
  for (long i = 0; i < n; i++) {
    struct stat st;
    snprintf(path, sizeof path, "%s/f%06ld", dir, i);
    if (stat(path, &st) < 0) return perror(path), 1;
    if (st.st_size != (off_t)sizeof body) return fprintf(stderr, "fsbench: %s: size %ld\n", path, (long)st.st_size), 1;
  }
  meta_report("stat", n, t0, r0);
  t0 = now_s(), r0 = osv_fuse_requests();
  OSV_DIR *d = osv_opendir(dir);
  if (!d) return perror(dir), 1;
  long seen = 0;
  for (struct osv_dirent *e; (e = osv_readdir(d));)
    if (e->name[0] == 'f') seen++;
  osv_closedir(d);
  if (seen != n) return fprintf(stderr, "fsbench: readdir saw %ld of %ld files\n", seen, n), 1;
  meta_report("list", n, t0, r0);
  t0 = now_s(), r0 = osv_fuse_requests();
  for (long i = 0; i < n; i++) {
    snprintf(path, sizeof path, "%s/f%06ld", dir, i);
    if (unlink(path) < 0) return perror(path), 1;
  }
  meta_report("unlink", n, t0, r0);
  if (osv_rmdir(dir) < 0) return perror(dir), 1;
  meta_report("total", 3 * n + seen, all, rall);
  return 0;
}

int main(int argc, char **argv) {
  if (argc >= 4 && !strcmp(argv[1], "--create")) return create(argv[2], atol(argv[3]), argc >= 5 ? parse_size(argv[4]) : 1 << 20);
  if (argc == 4 && !strcmp(argv[1], "--meta")) return meta(argv[2], atol(argv[3]));
  if (argc < 2) {
    fprintf(stderr, "usage: fsbench FILE [-b BLOCK] [-m seq|rand|both] [-n PASSES] [--mmap] [--json]\n"
                    "       fsbench --create FILE MIB [BLOCK]\n       fsbench --meta DIR N\n");
    return 2;
  }
  const char *path = argv[1], *mode = "both";
  long bs = 4096, passes = 1;
  int json = 0, use_mmap = 0, lat = 0;
  for (int i = 2; i < argc; i++) {
    if (!strcmp(argv[i], "-b") && i + 1 < argc) {
      bs = parse_size(argv[++i]);
    } else if (!strcmp(argv[i], "-m") && i + 1 < argc) mode = argv[++i];
    else if (!strcmp(argv[i], "-n") && i + 1 < argc) passes = atol(argv[++i]);
    else if (!strcmp(argv[i], "--json")) json = 1;
    else if (!strcmp(argv[i], "--mmap")) use_mmap = 1;
    else if (!strcmp(argv[i], "--lat")) lat = 1;
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
  double *lats = lat && !use_mmap ? malloc(sizeof(double) * (size_t)(nblocks * passes)) : NULL;
  if (lat && !use_mmap && !lats) return fprintf(stderr, "fsbench: no memory for --lat\n"), 1;
  int rc = 0;
  for (int m = 0; m < 2; m++) {
    const char *name = m ? "rand" : "seq";
    if (strcmp(mode, "both") && strcmp(mode, name)) continue;
    long r0 = osv_fuse_requests(), bytes = 0, nlat = 0;
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
        double t1 = lats ? now_s() : 0;
        long n = osv_pread(fd, buf, (size_t)bs, off);
        if (lats) lats[nlat++] = now_s() - t1;
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
    if (lats && nlat > 0) {
      qsort(lats, (size_t)nlat, sizeof(double), cmp_double);
      printf("lat  %s bs=%-8ld p50 %.1f us, p90 %.1f us, p99 %.1f us, max %.1f us over %ld preads\n", name, bs,
             lats[nlat / 2] * 1e6, lats[nlat * 9 / 10] * 1e6, lats[nlat * 99 / 100] * 1e6, lats[nlat - 1] * 1e6, nlat);
    }
  }
  free(lats);
  free(buf);
  close(fd);
  return rc;
}
