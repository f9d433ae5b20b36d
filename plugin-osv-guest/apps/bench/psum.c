// psum — the SMP speed-up workload (glibc, pthreads): `psum THREADS [MILLIONS]` splits a CPU-bound
// sum (i*i mod 1000003 over [0, MILLIONS*1e6)) into THREADS equal parts, one pthread each, joins
// them, checks the total against the closed form computed serially, and prints the wall time
// (CLOCK_MONOTONIC). scripts/bench-smp runs it with 1 thread on 1 hart and N threads on N harts.
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

struct part {
  uint64_t from, to, sum;
};

static void *work(void *a) {
  struct part *p = a;
  uint64_t s = 0;
  for (uint64_t i = p->from; i < p->to; i++) s += i * i % 1000003;
  p->sum = s;
  return NULL;
}

// sum of i*i mod m over [0, n): full periods of m plus a tail, without the loop
static uint64_t expected(uint64_t n) {
  const uint64_t m = 1000003;
  uint64_t period = 0, tail = 0;
  for (uint64_t i = 0; i < m; i++) {
    uint64_t v = i * i % m;
    period += v;
    if (i < n % m) tail += v;
  }
  return (n / m) * period + tail;
}

int main(int argc, char **argv) {
  int nt = argc > 1 ? atoi(argv[1]) : 1;
  uint64_t n = (uint64_t)(argc > 2 ? atol(argv[2]) : 40) * 1000000ULL;
  if (nt < 1 || nt > 64) return 2;
  pthread_t t[64];
  struct part parts[64];
  struct timespec a, b;
  clock_gettime(CLOCK_MONOTONIC, &a);
  for (int i = 0; i < nt; i++) {
    parts[i] = (struct part){n / nt * i, i == nt - 1 ? n : n / nt * (i + 1), 0};
    pthread_create(&t[i], NULL, work, &parts[i]);
  }
  uint64_t total = 0;
  for (int i = 0; i < nt; i++) {
    pthread_join(t[i], NULL);
    total += parts[i].sum;
  }
  clock_gettime(CLOCK_MONOTONIC, &b);
  double s = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
  uint64_t want = expected(n);
  printf("psum threads=%d n=%llu sum=%llu %s time=%.3f s\n", nt, (unsigned long long)n, (unsigned long long)total,
         total == want ? "ok" : "WRONG", s);
  return total == want ? 0 : 1;
}
