// t_clone.c — threads from raw system calls (clone, futex, set_tid_address, gettid, exit), so the
// picolibc build (no pthreads) checks the same kernel semantics as glibc's pthread_create uses:
// CLONE_VM|FS|FILES|SIGHAND|THREAD|SYSVSEM|SETTLS|PARENT_SETTID|CHILD_CLEARTID, joining on the
// cleared tid with FUTEX_WAIT, a futex ping-pong, WAIT timeouts and value mismatches, a parallel sum.
#include "tcommon.h"

#define CLONE_FLAGS (0x100 | 0x200 | 0x400 | 0x800 | 0x10000 | 0x40000 | 0x100000 | 0x200000)
#define FUTEX_WAIT 0
#define FUTEX_WAKE 1
#define FUTEX_PRIVATE 128
#define NT 4
#define N 2000000L

// clone(flags, stack, ptid, tls, ctid); the child calls fn(arg) on its new stack and exits.
static long spawn(int (*fn)(void *), void *arg, void *stack_top, int *ptid, int *ctid) {
  register long a0 __asm__("a0") = CLONE_FLAGS;
  register long a1 __asm__("a1") = (long)stack_top;
  register long a2 __asm__("a2") = (long)ptid;
  register long a3 __asm__("a3") = 0;
  register long a4 __asm__("a4") = (long)ctid;
  register long a5 __asm__("a5") = (long)fn;
  register long a6 __asm__("a6") = (long)arg;
  register long a7 __asm__("a7") = NR_clone;
  __asm__ volatile("ecall\n"
                   "bnez a0, 1f\n"
                   "mv a0, a6\n"
                   "jalr a5\n"
                   "li a7, 93\n"  // exit(fn's result): this thread only
                   "ecall\n"
                   "1:\n"
                   : "+r"(a0)
                   : "r"(a1), "r"(a2), "r"(a3), "r"(a4), "r"(a5), "r"(a6), "r"(a7)
                   : "memory");
  return a0;
}

static void join(int *ctid) {  // CLONE_CHILD_CLEARTID: the kernel zeroes *ctid and wakes it at exit
  int v;
  while ((v = __atomic_load_n(ctid, __ATOMIC_ACQUIRE)) != 0) S6(NR_futex, ctid, FUTEX_WAIT, v, 0, 0, 0);
}

struct part {
  long from, to, sum, tid;
};
static int sum_part(void *a) {
  struct part *p = a;
  long s = 0;
  for (long i = p->from; i < p->to; i++) s += i;
  p->sum = s;
  p->tid = S0(NR_gettid);
  return 0;
}

static int word, turns;
static int ping(void *a) {  // waits for odd values, answers with the next even one
  for (int i = 0; i < 50; i++) {
    while (__atomic_load_n(&word, __ATOMIC_ACQUIRE) % 2 == 0) S6(NR_futex, &word, FUTEX_WAIT | FUTEX_PRIVATE, 2 * i, 0, 0, 0);
    __atomic_store_n(&word, 2 * i + 2, __ATOMIC_RELEASE);
    turns++;
    S6(NR_futex, &word, FUTEX_WAKE | FUTEX_PRIVATE, 1, 0, 0, 0);
  }
  return 0;
}

// Two threads that spin without system calls, each waiting for the other: on one hart only the
// timer's preemption lets them both make progress.
static volatile int started, go;
static int spinner(void *a) {
  started = 1;
  while (!go) {
  }
  return 0;
}

static char stacks[NT + 2][65536] __attribute__((aligned(16)));

int main(void) {
  struct part parts[NT];
  int ptid[NT], ctid[NT];
  long main_tid = S0(NR_gettid);
  for (int i = 0; i < NT; i++) {
    parts[i] = (struct part){N / NT * i, N / NT * (i + 1), 0, 0};
    ctid[i] = -1;
    long t = spawn(sum_part, &parts[i], stacks[i] + sizeof(stacks[i]), &ptid[i], &ctid[i]);
    if (t <= 0) printf("clone %d = %ld\n", i, t);
    CHECK("PARENT_SETTID wrote the tid", ptid[i] == t);
  }
  long total = 0;
  int distinct = 1;
  for (int i = 0; i < NT; i++) {
    join(&ctid[i]);
    total += parts[i].sum;
    if (parts[i].tid == main_tid || parts[i].tid != ptid[i]) distinct = 0;
  }
  CHECK("CHILD_CLEARTID join", ctid[0] == 0 && ctid[NT - 1] == 0);
  CHECK("threads have their own tids", distinct);
  printf("parallel sum = %ld (expected %ld)\n", total, N * (N - 1) / 2);
  // futex ping-pong between two threads: 50 round trips
  int pc = -1, pp;
  spawn(ping, NULL, stacks[NT] + sizeof(stacks[NT]), &pp, &pc);
  for (int i = 0; i < 50; i++) {
    __atomic_store_n(&word, 2 * i + 1, __ATOMIC_RELEASE);
    S6(NR_futex, &word, FUTEX_WAKE | FUTEX_PRIVATE, 1, 0, 0, 0);
    while (__atomic_load_n(&word, __ATOMIC_ACQUIRE) != 2 * i + 2) S6(NR_futex, &word, FUTEX_WAIT | FUTEX_PRIVATE, 2 * i + 1, 0, 0, 0);
  }
  join(&pc);
  printf("ping-pong turns = %d, word = %d\n", turns, word);
  int sc_ = -1, sp_;
  spawn(spinner, NULL, stacks[NT + 1] + sizeof(stacks[NT + 1]), &sp_, &sc_);
  while (!started) {
  }
  go = 1;
  join(&sc_);
  CHECK("threads spinning on each other (preemption)", started && go);
  // WAIT with a value that does not match: EAGAIN at once; with a timeout: ETIMEDOUT after it
  int w = 5;
  SHOW("futex WAIT on a changed value", S6(NR_futex, &w, FUTEX_WAIT, 4, 0, 0, 0));
  long ts[2] = {0, 50 * 1000000L};
  long t0 = now_ms();
  SHOW("futex WAIT 50 ms", S6(NR_futex, &w, FUTEX_WAIT | FUTEX_PRIVATE, 5, ts, 0, 0));
  CHECK("the wait took at least 50 ms", now_ms() - t0 >= 50);
  SHOW("futex WAKE with no waiters", S6(NR_futex, &w, FUTEX_WAKE, 1, 0, 0, 0));
  SHOW("futex on a misaligned word", S6(NR_futex, (char *)&w + 1, FUTEX_WAKE, 1, 0, 0, 0));
  SHOW("wait4 without children", S4(NR_wait4, -1, 0, 0, 0));
  SHOW("sched_yield", S0(NR_sched_yield));
  printf("done\n");
  return 0;
}
