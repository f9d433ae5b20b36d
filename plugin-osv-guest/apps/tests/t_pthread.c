// t_pthread.c — the pthread suite (glibc only: picolibc has no pthreads; t_clone checks the same
// kernel calls raw): create/join, mutexes, condition variables, barriers, rwlocks, once, TLS,
// timed waits, detached threads, a parallel sum across NT threads (one per hart with --harts 4)
// with a checked result, pipes between threads, poll with a timeout, /dev/null. Output does not
// depend on scheduling or on the number of CPUs.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define NT 4
#define CHECK(label, cond) printf("%s: %s\n", label, (cond) ? "ok" : "FAIL")

static long ms_since(const struct timespec *t0) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

static void *ret_arg(void *a) { return (void *)((intptr_t)a * 10); }

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static long counter;
static void *add_many(void *a) {
  for (int i = 0; i < 20000; i++) {
    pthread_mutex_lock(&mu);
    counter++;
    pthread_mutex_unlock(&mu);
  }
  return NULL;
}

// a bounded queue: producer/consumer with two condition variables
static pthread_cond_t not_empty = PTHREAD_COND_INITIALIZER, not_full = PTHREAD_COND_INITIALIZER;
static int q[8], qh, qt, qn;
static void *producer(void *a) {
  for (int i = 1; i <= 1000; i++) {
    pthread_mutex_lock(&mu);
    while (qn == 8) pthread_cond_wait(&not_full, &mu);
    q[qt] = i, qt = (qt + 1) % 8, qn++;
    pthread_cond_signal(&not_empty);
    pthread_mutex_unlock(&mu);
  }
  return NULL;
}

static pthread_barrier_t bar;
static int phase_seen[NT][3];
static int phase;
static void *phases(void *a) {
  int me = (int)(intptr_t)a;
  for (int p = 0; p < 3; p++) {
    phase_seen[me][p] = __atomic_load_n(&phase, __ATOMIC_ACQUIRE);
    if (pthread_barrier_wait(&bar) == PTHREAD_BARRIER_SERIAL_THREAD) __atomic_add_fetch(&phase, 1, __ATOMIC_RELEASE);
    pthread_barrier_wait(&bar);
  }
  return NULL;
}

static __thread int tls_var = 7;
static __thread char tls_buf[64];
static void *tls_check(void *a) {
  int me = (int)(intptr_t)a;
  int ok = tls_var == 7;  // every thread starts from the initial image
  tls_var = 100 + me;
  snprintf(tls_buf, sizeof(tls_buf), "thread %d", me);
  sched_yield();
  ok = ok && tls_var == 100 + me && strcmp(tls_buf, "thread ") > 0 && tls_buf[7] == '0' + me;
  return (void *)(intptr_t)ok;
}

#define SUM_N 4000000L
struct part {
  long from, to;
  uint64_t sum;
};
static void *sum_part(void *a) {
  struct part *p = a;
  uint64_t s = 0;
  for (long i = p->from; i < p->to; i++) s += (uint64_t)i * (uint64_t)i % 1000003;
  p->sum = s;
  return NULL;
}

static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
static int shared_val;
static void *reader(void *a) {
  int bad = 0;
  for (int i = 0; i < 2000; i++) {
    pthread_rwlock_rdlock(&rw);
    if (shared_val % 2) bad++;  // writers keep it even outside the lock
    pthread_rwlock_unlock(&rw);
  }
  return (void *)(intptr_t)bad;
}
static void *writer(void *a) {
  for (int i = 0; i < 500; i++) {
    pthread_rwlock_wrlock(&rw);
    shared_val++;
    shared_val++;
    pthread_rwlock_unlock(&rw);
  }
  return NULL;
}

static int once_count;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static void once_fn(void) { once_count++; }
static void *call_once(void *a) {
  pthread_once(&once, once_fn);
  return NULL;
}

static int pipefd[2];
static void *pipe_writer(void *a) {
  char buf[1000];
  for (int i = 0; i < 300; i++) {  // 300 KB through a 64 KiB pipe: the writer blocks and resumes
    memset(buf, 'a' + i % 26, sizeof(buf));
    if (write(pipefd[1], buf, sizeof(buf)) != sizeof(buf)) return (void *)1;
  }
  close(pipefd[1]);
  return NULL;
}

static volatile int detached_done;
static void *detached(void *a) {
  detached_done = 1;
  return NULL;
}

int main(void) {
  pthread_t t[NT * 2];
  // create / join with return values
  long s = 0;
  for (intptr_t i = 0; i < NT; i++) pthread_create(&t[i], NULL, ret_arg, (void *)i);
  for (int i = 0; i < NT; i++) {
    void *r;
    pthread_join(t[i], &r);
    s += (intptr_t)r;
  }
  printf("join return values sum = %ld\n", s);
  // mutex
  for (int i = 0; i < NT; i++) pthread_create(&t[i], NULL, add_many, NULL);
  for (int i = 0; i < NT; i++) pthread_join(t[i], NULL);
  printf("mutex counter = %ld\n", counter);
  // condition variables
  pthread_create(&t[0], NULL, producer, NULL);
  long got = 0;
  int in_order = 1;
  for (int i = 1; i <= 1000; i++) {
    pthread_mutex_lock(&mu);
    while (qn == 0) pthread_cond_wait(&not_empty, &mu);
    int v = q[qh];
    qh = (qh + 1) % 8, qn--;
    pthread_cond_signal(&not_full);
    pthread_mutex_unlock(&mu);
    got += v;
    if (v != i) in_order = 0;
  }
  pthread_join(t[0], NULL);
  printf("condvar queue sum = %ld, in order: %s\n", got, in_order ? "yes" : "no");
  // timed wait: nobody signals
  struct timespec t0, dl;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  clock_gettime(CLOCK_REALTIME, &dl);
  dl.tv_nsec += 30 * 1000000L;
  if (dl.tv_nsec >= 1000000000L) dl.tv_sec++, dl.tv_nsec -= 1000000000L;
  pthread_mutex_lock(&mu);
  int rc = pthread_cond_timedwait(&not_empty, &mu, &dl);
  pthread_mutex_unlock(&mu);
  printf("cond_timedwait = %s\n", rc == ETIMEDOUT ? "ETIMEDOUT" : strerror(rc));
  CHECK("timed wait took at least 25 ms", ms_since(&t0) >= 25);
  // barriers
  pthread_barrier_init(&bar, NULL, NT);
  for (intptr_t i = 0; i < NT; i++) pthread_create(&t[i], NULL, phases, (void *)i);
  for (int i = 0; i < NT; i++) pthread_join(t[i], NULL);
  int bok = 1;
  for (int i = 0; i < NT; i++)
    for (int p = 0; p < 3; p++) bok &= phase_seen[i][p] == p;
  CHECK("barrier phases", bok && phase == 3);
  pthread_barrier_destroy(&bar);
  // thread-local storage
  int tok = 1;
  for (intptr_t i = 0; i < NT; i++) pthread_create(&t[i], NULL, tls_check, (void *)i);
  for (int i = 0; i < NT; i++) {
    void *r;
    pthread_join(t[i], &r);
    tok &= (intptr_t)r == 1;
  }
  CHECK("thread-local storage", tok && tls_var == 7);
  // parallel sum, checked against a serial one
  struct part parts[NT];
  for (int i = 0; i < NT; i++) {
    parts[i] = (struct part){SUM_N / NT * i, SUM_N / NT * (i + 1), 0};
    pthread_create(&t[i], NULL, sum_part, &parts[i]);
  }
  uint64_t par = 0, ser = 0;
  for (int i = 0; i < NT; i++) {
    pthread_join(t[i], NULL);
    par += parts[i].sum;
  }
  struct part all = {0, SUM_N, 0};
  sum_part(&all);
  ser = all.sum;
  printf("parallel sum = %llu, serial sum = %llu, equal: %s\n", (unsigned long long)par, (unsigned long long)ser,
         par == ser ? "yes" : "no");
  // rwlock
  for (int i = 0; i < NT; i++) pthread_create(&t[i], NULL, i == 0 ? writer : reader, NULL);
  long bad = 0;
  for (int i = 0; i < NT; i++) {
    void *r;
    pthread_join(t[i], &r);
    bad += (intptr_t)r;
  }
  printf("rwlock: final %d, torn reads %ld\n", shared_val, bad);
  // once
  for (int i = 0; i < NT; i++) pthread_create(&t[i], NULL, call_once, NULL);
  for (int i = 0; i < NT; i++) pthread_join(t[i], NULL);
  printf("pthread_once ran %d time(s)\n", once_count);
  // a pipe between threads, with poll timeouts on the read end
  pipe(pipefd);
  struct pollfd pfd = {pipefd[0], POLLIN, 0};
  clock_gettime(CLOCK_MONOTONIC, &t0);
  printf("poll on an empty pipe (40 ms) = %d\n", poll(&pfd, 1, 40));
  CHECK("poll waited at least 35 ms", ms_since(&t0) >= 35);
  pthread_create(&t[0], NULL, pipe_writer, NULL);
  long total = 0, sum = 0;
  char buf[4096];
  ssize_t n = -1;
  for (;;) {
    int pr = poll(&pfd, 1, 5000);
    if (pr != 1) {
      printf("poll = %d\n", pr);
      break;
    }
    if ((n = read(pipefd[0], buf, sizeof(buf))) <= 0) break;
    for (ssize_t i = 0; i < n; i++) sum += buf[i];
    total += n;
  }
  void *wr;
  pthread_join(t[0], &wr);
  close(pipefd[0]);
  printf("pipe: %ld bytes, byte sum %ld, writer %s, last read %zd\n", total, sum, wr ? "failed" : "ok", n);
  // /dev/null
  int fd = open("/dev/null", O_RDWR);
  printf("/dev/null: write %zd, read %zd\n", write(fd, "xyz", 3), read(fd, buf, sizeof(buf)));
  close(fd);
  FILE *f = fopen("/dev/null", "w");
  fprintf(f, "discarded\n");
  printf("fclose(/dev/null) = %d\n", fclose(f));
  // a detached thread, and a mutex trylock / errorcheck
  pthread_attr_t at;
  pthread_attr_init(&at);
  pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
  pthread_create(&t[0], &at, detached, NULL);
  for (int i = 0; i < 1000 && !detached_done; i++) usleep(1000);
  CHECK("detached thread ran", detached_done);
  pthread_mutexattr_t ma;
  pthread_mutexattr_init(&ma);
  pthread_mutexattr_settype(&ma, PTHREAD_MUTEX_ERRORCHECK);
  pthread_mutex_t em;
  pthread_mutex_init(&em, &ma);
  pthread_mutex_lock(&em);
  printf("errorcheck relock = %s, trylock = %s\n", strerror(pthread_mutex_lock(&em)), strerror(pthread_mutex_trylock(&em)));
  pthread_mutex_unlock(&em);
  CHECK("pthread_self differs from a new thread", !pthread_equal(pthread_self(), t[0]));
  cpu_set_t cs;
  CHECK("sched_getaffinity", sched_getaffinity(0, sizeof(cs), &cs) == 0 && CPU_COUNT(&cs) >= 1);
  printf("done\n");
  return 0;
}
