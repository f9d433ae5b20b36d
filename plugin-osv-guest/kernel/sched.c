// sched.c — threads on every hart of the board (README "Threads and SMP").
// * One big kernel lock (BKL): a hart holds it from trap entry to the return to user mode, and while
//   it picks the next thread. User code runs on all harts at once; kernel code runs on one at a time.
// * One run queue shared by every hart (FIFO, affinity masks honoured): with the BKL the kernel is
//   serialised anyway, so per-hart queues would add balancing without adding parallelism.
// * Blocking is sleep/wakeup on a channel (any address; futexes use the word's physical address),
//   with an optional deadline in mtime ticks. The timer (CLINT mtimecmp per hart, privileged spec
//   §3.2.1) fires at the earliest deadline and at the end of a 10 ms quantum (preemption).
// * IPIs (CLINT msip per hart, virt-platform.md §1) wake idle harts when a thread becomes runnable,
//   stop threads of an exiting process, and carry TLB shootdowns (sfence.vma on the target hart).
// The lock is held across swtch(), as in xv6, so a thread's context is saved before any other hart
// can pick it from the queue.
#include "errno.h"
#include <picolibc.h>
#include <picotls.h>
#include <stdio.h>
#include <stdlib.h>
#include "proc.h"
#include "vfs.h"

#define KSTACK_PAGES 8  // 32 KiB: the path walk and FUSE call chains keep a few KiB of buffers
#define QUANTUM_TICKS (timebase_hz / 100)
#define CLINT_MSIP(h) (0x2000000UL + 4UL * (u64)(h))
#define CLINT_MTIMECMP(h) (0x2004000UL + 8UL * (u64)(h))
#define MIP_MSIP (1UL << 3)
#define MIP_MTIP (1UL << 7)
#define MIP_MEIP (1UL << 11)
#define MIE_MSIE (1UL << 3)

struct cpu cpus[MAX_HARTS];
static struct thread *threads[MAX_THREADS];
static struct thread *rq_head, *rq_tail;
static int next_id = 1;
static int nharts = 1;
static int ndeadline;  // sleeping threads with a deadline (skip the scan when 0)
static volatile u32 bkl;
static volatile int bkl_owner = -1;
// Secondary harts wait in boot.S until hart_release is set and hart_stack_top[hartid] is theirs.
volatile u64 hart_release __attribute__((section(".data")));
u64 hart_stack_top[MAX_HARTS] __attribute__((section(".data")));
void console_poll(void);

void klock(void) {
  struct cpu *c = cpu_this();
  while (__atomic_exchange_n(&bkl, 1, __ATOMIC_ACQUIRE)) {
    while (__atomic_load_n(&bkl, __ATOMIC_RELAXED)) ipi_service(c);  // answer shootdowns while waiting
  }
  bkl_owner = c->hartid;
}

void kunlock(void) {
  bkl_owner = -1;
  __atomic_store_n(&bkl, 0, __ATOMIC_RELEASE);
}

bool klock_held(void) { return bkl && bkl_owner == cpu_this()->hartid; }

int sched_harts(void) { return nharts; }
u64 sched_all_harts_mask(void) { return nharts >= 64 ? ~0ULL : (1ULL << nharts) - 1; }

void ipi_send(int hart) {
  if (hart >= 0 && hart < nharts) mmio_w32(CLINT_MSIP(hart), 1);
}

void ipi_service(struct cpu *c) {
  if (csr_read(mip) & MIP_MSIP) mmio_w32(CLINT_MSIP(c->hartid), 0);
  if (c->need_sfence) {
    __asm__ volatile("sfence.vma zero, zero" ::: "memory");
    __atomic_store_n(&c->need_sfence, 0, __ATOMIC_RELEASE);
  }
}

// After a page-table change that removes or narrows mappings of p: every other hart running a thread
// of p flushes its TLB before the caller frees pages (privileged spec §4.2.1: sfence.vma orders only
// the executing hart's translations).
void tlb_shootdown(struct proc *p) {
  struct cpu *me = cpu_this();
  u64 wait = 0;
  for (int h = 0; h < nharts; h++) {
    if (h == me->hartid || !cpus[h].cur || cpus[h].cur->proc != p) continue;
    __atomic_store_n(&cpus[h].need_sfence, 1, __ATOMIC_RELEASE);
    ipi_send(h);
    wait |= 1ULL << h;
  }
  for (int h = 0; h < nharts; h++)
    if (wait & (1ULL << h))
      while (__atomic_load_n(&cpus[h].need_sfence, __ATOMIC_ACQUIRE)) {
      }
}

static void rq_push(struct thread *t) {
  t->rq_next = NULL;
  if (rq_tail) rq_tail->rq_next = t;
  else rq_head = t;
  rq_tail = t;
}

static struct thread *rq_pop(int hart, bool peek) {
  struct thread *prev = NULL;
  for (struct thread *t = rq_head; t; prev = t, t = t->rq_next) {
    if (!(t->affinity & (1ULL << hart))) continue;
    if (peek) return t;
    if (prev) prev->rq_next = t->rq_next;
    else rq_head = t->rq_next;
    if (rq_tail == t) rq_tail = prev;
    t->rq_next = NULL;
    return t;
  }
  return NULL;
}

// Wake one idle hart that may run t. The hart is marked busy at once, so the next runnable thread
// wakes another one (an IPI'd hart clears its own flag only once it gets the lock).
static void kick_idle_hart(u64 affinity) {
  for (int h = 0; h < nharts; h++)
    if (cpus[h].idle && (affinity & (1ULL << h))) {
      cpus[h].idle = false;
      ipi_send(h);
      return;
    }
}

void thread_make_runnable(struct thread *t) {
  t->state = T_RUNNABLE;
  rq_push(t);
  kick_idle_hart(t->affinity);
}

static void thread_start(void);

struct thread *thread_new(struct proc *p) {
  int slot = -1;
  for (int i = 0; i < MAX_THREADS && slot < 0; i++)
    if (!threads[i]) slot = i;
  if (slot < 0) return NULL;
  struct thread *t = calloc(1, sizeof(*t));
  if (!t) return NULL;
  t->kstack = page_alloc_nozero(KSTACK_PAGES);
  if (!t->kstack) {
    free(t);
    return NULL;
  }
  t->tid = next_id++;
  t->proc = p;
  t->hart = -1;
  t->affinity = sched_all_harts_mask();
  t->tf.ksp = (u64)t->kstack + KSTACK_PAGES * PAGE_SIZE;
  t->ctx.ra = (u64)thread_start;
  t->ctx.sp = t->tf.ksp;
  p->nthreads++;
  threads[slot] = t;
  return t;
}

static void thread_free(struct thread *t) {
  for (int i = 0; i < MAX_THREADS; i++)
    if (threads[i] == t) threads[i] = NULL;
  page_free(t->kstack, KSTACK_PAGES);
  free(t);
}

// A thread that never ran (a failed spawn or clone).
void thread_discard(struct thread *t) {
  t->proc->nthreads--;
  thread_free(t);
}

struct thread *sched_thread_at(int i) { return i >= 0 && i < MAX_THREADS ? threads[i] : NULL; }

int sched_thread_count(struct proc *p) {
  int n = 0;
  for (int i = 0; i < MAX_THREADS; i++)
    if (threads[i] && threads[i]->proc == p && threads[i]->state != T_ZOMBIE) n++;
  return n;
}

// Switch from the current thread to this hart's scheduler; returns when the thread runs again
// (possibly on another hart). The caller set the thread's state; the BKL is held throughout.
static void sched(void) {
  struct cpu *c = cpu_this();
  struct thread *t = c->cur;
  t->run_ns += timer_ns() - t->ran_since;
  fp_save(t->fp);
  c->switches++;
  swtch(&t->ctx, &c->sched_ctx);
  fp_restore(t->fp);
}

void sched_yield_now(void) {
  struct thread *t = curthread();
  if (!rq_pop(cpu_this()->hartid, true)) return;  // nobody else to run here
  t->state = T_RUNNABLE;
  rq_push(t);
  sched();
}

// Leave a hart this thread may no longer run on (sched_setaffinity).
void sched_migrate(void) {
  thread_make_runnable(curthread());
  sched();
}

static void wake_thread(struct thread *t, int reason) {
  if (t->deadline) ndeadline--;
  t->deadline = 0;
  t->wchan = NULL;
  t->wake = reason;
  thread_make_runnable(t);
}

static int sleep_common(const void *chan, u32 bits, u64 deadline, bool interruptible) {
  struct thread *t = curthread();
  if (interruptible && (t->proc->exiting || (t->sigpending & ~t->sigmask))) return -EINTR;
  t->interruptible = interruptible;
  if (deadline && timer_now() >= deadline) return -ETIMEDOUT;
  t->wchan = chan;
  t->wbits = bits;
  t->wake = 0;
  t->deadline = deadline;
  if (deadline) ndeadline++;
  t->state = T_SLEEPING;
  sched();
  return t->wake;
}

void thread_interrupt(struct thread *t) {
  if (t->state == T_SLEEPING && t->interruptible) wake_thread(t, -EINTR);
}

int thread_sleep(const void *chan, u64 deadline) { return sleep_common(chan, ~0u, deadline, true); }
int thread_sleep_bits(const void *chan, u32 bits, u64 deadline) { return sleep_common(chan, bits, deadline, true); }
int thread_wait(const void *chan) { return sleep_common(chan, ~0u, 0, false); }

int wakeup_bits(const void *chan, u32 bits, int n) {
  int woken = 0;
  for (int i = 0; i < MAX_THREADS && woken < n; i++) {
    struct thread *t = threads[i];
    if (t && t->state == T_SLEEPING && t->wchan == chan && (t->wbits & bits)) {
      wake_thread(t, 0);
      woken++;
    }
  }
  return woken;
}

int wakeup(const void *chan, int n) { return wakeup_bits(chan, ~0u, n); }

int requeue(const void *from, const void *to, int n) {
  int moved = 0;
  for (int i = 0; i < MAX_THREADS && moved < n; i++) {
    struct thread *t = threads[i];
    if (t && t->state == T_SLEEPING && t->wchan == from) {
      t->wchan = to;
      moved++;
    }
  }
  return moved;
}

// Stop every other thread of p: sleepers wake with -EINTR, running ones are interrupted; each
// leaves at its next pass through the kernel (trap_user's tail sees p->exiting).
void proc_kill_others(struct proc *p) {
  struct thread *me = curthread();
  p->exiting = true;
  for (int i = 0; i < MAX_THREADS; i++) {
    struct thread *t = threads[i];
    if (!t || t == me || t->proc != p) continue;
    if (t->state == T_SLEEPING) thread_interrupt(t);
    else if (t->state == T_RUNNING && t->hart >= 0) ipi_send(t->hart);
  }
}

void thread_exit(void) {
  struct thread *t = curthread();
  struct proc *p = t->proc;
  if (t->clear_child_tid && !p->exiting) {  // CLONE_CHILD_CLEARTID: *ctid = 0, futex wake (man 2 clone)
    u32 z = 0;
    u64 pa = vm_user_pa(p, t->clear_child_tid, true);
    if (pa && (t->clear_child_tid & 3) == 0 && copy_to_user(t->clear_child_tid, &z, 4) == 0)
      wakeup_bits((const void *)pa, ~0u, 1);
  }
  t->run_ns += timer_ns() - t->ran_since;
  t->ran_since = timer_ns();
  p->utime_ns += t->run_ns;
  if (--p->nthreads == 0) proc_teardown(p);  // the first app's end: machine_exit
  t->state = T_ZOMBIE;
  sched();
  panic("zombie thread %d ran again", t->tid);
}

void proc_exit_group(int code) {
  struct proc *p = curthread()->proc;
  if (!p->exiting) p->exit_code = code;
  proc_kill_others(p);
  thread_exit();
}

// The first instructions of a new thread, reached from swtch() with the BKL held.
static void thread_start(void) {
  struct thread *t = curthread();
  fp_restore(t->fp);
  if (t->proc->exiting) thread_exit();
  user_return(return_to_user(t));
}

// Arm this hart's timer: the earliest sleeper's deadline, and the end of the quantum if a thread
// runs here. MTIP is level-triggered; writing a future compare value clears it.
void sched_program_timer(struct cpu *c) {
  u64 next = ~0ULL;
  if (ndeadline)
    for (int i = 0; i < MAX_THREADS; i++) {
      struct thread *t = threads[i];
      if (t && t->state == T_SLEEPING && t->deadline && t->deadline < next) next = t->deadline;
    }
  if (c->cur) next = MIN(next, timer_now() + QUANTUM_TICKS);
  mmio_w64(CLINT_MTIMECMP(c->hartid), next);
}

void sched_timer_tick(void) {
  struct cpu *c = cpu_this();
  c->ticks++;
  mmio_w64(CLINT_MTIMECMP(c->hartid), ~0ULL);
  u64 now = timer_now();
  if (ndeadline)
    for (int i = 0; i < MAX_THREADS; i++) {
      struct thread *t = threads[i];
      if (t && t->state == T_SLEEPING && t->deadline && t->deadline <= now) wake_thread(t, -ETIMEDOUT);
    }
  if (c->cur && rq_pop(c->hartid, true)) c->resched = true;
}

struct trapframe *return_to_user(struct thread *t) {
  struct cpu *c = cpu_this();
  t->tf.ktp = (u64)c->tls;
  t->tf.ksp = (u64)t->kstack + KSTACK_PAGES * PAGE_SIZE;
  u64 s = csr_read(mstatus);
  csr_write(mstatus, (s & ~(MSTATUS_MPP | MSTATUS_MPRV)) | MSTATUS_MPIE);  // mret to U with interrupts on
  if (!t->started) {
    t->started = true;
    if (t->tid == 1) boot_mark_app_start();
  }
  sched_program_timer(c);
  kunlock();
  return &t->tf;
}

// Idle: nothing runnable for this hart. Sleep in wfi (it wakes on an enabled pending interrupt even
// with mstatus.MIE = 0, privileged spec §3.3.3), then handle what woke it.
static void idle(struct cpu *c) {
  sched_program_timer(c);
  c->idle = true;
  kunlock();
  u64 t0 = timer_now();
  if (kopts.poll) {
    for (int i = 0; i < 2000 && !(csr_read(mip) & (MIP_MSIP | MIP_MTIP)); i++) {
    }
  } else {
    __asm__ volatile("wfi");
  }
  ipi_service(c);
  klock();
  c->idle = false;
  c->idle_ns += (timer_now() - t0) * 1000000000ULL / timebase_hz;
  if (c->hartid == 0) {
    if (kopts.poll) console_poll();
    else if (csr_read(mip) & MIP_MEIP) plic_dispatch();
  }
  if (csr_read(mip) & MIP_MTIP) sched_timer_tick();
}

void scheduler(void) {
  struct cpu *c = cpu_this();
  klock();
  for (;;) {
    struct thread *t = rq_pop(c->hartid, false);
    if (!t) {
      idle(c);
      continue;
    }
    if (rq_head) kick_idle_hart(rq_head->affinity);  // more work waiting: another idle hart takes it
    t->state = T_RUNNING;
    t->hart = c->hartid;
    t->ran_since = timer_ns();
    c->cur = t;
    vm_activate(t->proc);
    swtch(&c->sched_ctx, &t->ctx);
    c->cur = NULL;
    c->resched = false;
    t->hart = -1;
    if (t->state == T_ZOMBIE) thread_free(t);
  }
}

static void hart_setup(struct cpu *c) {
  // PMP entry 0: NAPOT over the whole address space, RWX, so U-mode may access memory at all
  // (privileged spec §3.7.1: with PMP implemented and no match, U-mode accesses fail).
  csr_write(pmpaddr0, ~0UL >> 10);
  csr_write(pmpcfg0, 0x1f);
  csr_write(mcounteren, 7);              // cycle, time, instret readable from U-mode (rdtime)
  csr_set(mstatus, MSTATUS_FS_INITIAL);  // F/D usable (apps; fp.S on thread switches)
  mmio_w32(CLINT_MSIP(c->hartid), 0);
  mmio_w64(CLINT_MTIMECMP(c->hartid), ~0ULL);
  csr_set(mie, MIE_MSIE | MIE_MTIE);
}

void sched_init_boot_hart(void) {
  for (int h = 0; h < MAX_HARTS; h++) cpus[h].hartid = h;
  nharts = MIN(MAX(boot_info.harts, 1), MAX_HARTS);
  hart_setup(&cpus[0]);
}

// Secondary harts: boot.S jumps here once released, on their own stack.
void secondary_main(u64 hartid) {
  struct cpu *c = &cpus[hartid];
  _init_tls(c->tls);
  _set_tls(c->tls);
  hart_setup(c);
  scheduler();
}

void sched_start_harts(void) {
  for (int h = 1; h < nharts; h++) {
    u8 *stack = page_alloc_nozero(4);
    if (!stack) panic("no stack for hart %d", h);
    hart_stack_top[h] = (u64)stack + 4 * PAGE_SIZE;
  }
  __atomic_store_n(&hart_release, 1, __ATOMIC_RELEASE);
  mb();
  for (int h = 1; h < nharts; h++) ipi_send(h);
}

int sched_stats(char *buf, size_t len) {
  size_t o = (size_t)snprintf(buf, len, "harts %d\nrun_queue shared\n", nharts);
  for (int h = 0; h < nharts && o < len; h++)
    o += (size_t)snprintf(buf + o, len - o, "hart %d ticks %lu switches %lu idle_ms %lu\n", h,
                          (unsigned long)cpus[h].ticks, (unsigned long)cpus[h].switches,
                          (unsigned long)(cpus[h].idle_ns / 1000000));
  int n = 0;
  for (int i = 0; i < MAX_THREADS; i++)
    if (threads[i]) n++;
  if (o < len) o += (size_t)snprintf(buf + o, len - o, "threads %d\n", n);
  return (int)MIN(o, len);
}
