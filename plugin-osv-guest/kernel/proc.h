// proc.h — processes (address space, files, cwd, signal actions) and their threads; the per-hart state.
#ifndef PROC_H
#define PROC_H
#include "kernel.h"

// Layout known to trapvec.S: x[0..31] at 0, pc at 256, kernel sp at 264, kernel tp at 272.
struct trapframe {
  u64 x[32];
  u64 pc;
  u64 ksp;
  u64 ktp;
  u64 pad;
};
_Static_assert(__builtin_offsetof(struct trapframe, pc) == 256, "trapframe layout");
_Static_assert(__builtin_offsetof(struct trapframe, ktp) == 272, "trapframe layout");

enum { REG_RA = 1, REG_SP = 2, REG_GP = 3, REG_TP = 4, REG_A0 = 10, REG_A1, REG_A2, REG_A3, REG_A4, REG_A5, REG_A6, REG_A7 };

// User address space (Sv39, privileged spec §4.4): see README "Memory layout".
#define USER_MIN 0x1000UL
#define USER_STACK_TOP 0x3ff0000000UL
#define USER_STACK_SIZE (8UL << 20)
#define USER_MMAP_BASE 0x2000000000UL
#define USER_MAX 0x3fffffffffUL

#define VMA_R 1
#define VMA_W 2
#define VMA_X 4
#define VMA_ANON 8  // demand-zero on first touch

struct vma {
  u64 start, end;
  u32 flags;
};

#define NVMA 128
#define NFD 64
#define NSIG 64

struct sigaction_k {  // Linux riscv64 struct sigaction: handler, flags, mask (no sa_restorer)
  u64 handler, flags, mask;
};

struct file;
struct waitinfo;
// A process: one address space, files, cwd and signal actions, shared by its threads.
struct proc {
  u64 *pagetable;  // Sv39 root
  u64 brk_start, brk;
  u64 mmap_next;
  struct vma vmas[NVMA];
  int nvma;
  struct file *fds[NFD];
  u8 cloexec[NFD];
  char cwd[256];
  char exe[256];
  struct proc *parent;
  int pid;
  u64 rss;  // resident user pages
  int nthreads;
  bool exiting;  // exit_group or a fatal signal: every thread leaves at its next kernel entry
  int exit_code;
  struct waitinfo *waiter;  // the osv_run caller waiting for this process, NULL for the first app
  struct sigaction_k sigact[NSIG];
  u64 sigtramp;             // user address of the rt_sigreturn trampoline page
  u64 utime_ns;             // user+kernel time of exited threads (getrusage)
};

// The callee-saved registers of a thread switched out inside the kernel (swtch.S).
struct kctx {
  u64 ra, sp, s[12];
};

enum tstate { T_RUNNABLE = 1, T_RUNNING, T_SLEEPING, T_ZOMBIE };

// A thread: user registers, FP state, kernel stack and scheduling state (sched.c).
struct thread {
  struct trapframe tf;
  u64 fp[33];
  struct kctx ctx;
  struct proc *proc;
  int tid;
  enum tstate state;
  const void *wchan;  // what a sleeping thread waits for (futex: physical address of the word)
  u32 wbits;          // futex bitset
  u64 deadline;       // wake by then, mtime ticks (0 = no timeout)
  int wake;           // 0 = woken, -ETIMEDOUT, -EINTR
  u64 clear_child_tid, robust_list;
  u64 affinity;       // allowed harts (bit per hart)
  int hart;           // the hart running it, -1
  struct thread *rq_next;
  u8 *kstack;
  u64 run_ns, ran_since;  // CPU time used, when it was last put on a hart
  u64 sigmask, sigpending;
  i32 sigcode[NSIG];  // siginfo of each pending signal: si_code, si_addr
  u64 sigaddr[NSIG];
  u64 altstack_sp, altstack_size;
  bool started, interruptible;
};

#define MAX_HARTS 8
#define MAX_THREADS 128
struct cpu {
  struct thread *cur;
  struct kctx sched_ctx;
  int hartid;
  volatile int need_sfence;  // TLB shootdown request (vm.c), acknowledged by clearing it
  volatile bool idle;
  bool resched;              // the timer asked this hart to yield
  u64 ticks, switches, idle_ns;
  u64 tls[64] __attribute__((aligned(16)));
};
extern struct cpu cpus[MAX_HARTS];
static inline struct cpu *cpu_this(void) { return &cpus[csr_read(mhartid) & (MAX_HARTS - 1)]; }
static inline struct thread *curthread(void) { return cpu_this()->cur; }
#define current (cpu_this()->cur->proc)

// vm.c
u64 *vm_create(void);
void vm_destroy(u64 *root);
int vm_map(struct proc *p, u64 va, u64 pa, u32 flags);      // one 4 KiB page
int vm_map_nofree(struct proc *p, u64 va, u64 pa, u32 flags);  // a page the app does not own (DAX)
int vm_add_vma(struct proc *p, u64 start, u64 end, u32 flags);
int vm_unmap_range(struct proc *p, u64 start, u64 end);       // frees pages, trims VMAs
int vm_protect(struct proc *p, u64 start, u64 end, u32 flags);
void vm_discard(struct proc *p, u64 start, u64 end);                 // madvise(MADV_DONTNEED)
int vm_move_range(struct proc *p, u64 from, u64 to, u64 len, u32 flags);  // mremap
struct vma *vm_vma_at(struct proc *p, u64 va);
u64 vm_user_pa(struct proc *p, u64 va, bool write);          // 0 if not accessible; faults in demand pages
bool vm_handle_fault(struct proc *p, u64 va, bool write, bool exec);
void vm_activate(struct proc *p);
size_t vm_resident_pages(struct proc *p);

// user memory access with permission checks; return 0 or -EFAULT
int copy_from_user(void *dst, u64 src, size_t n);
int copy_to_user(u64 dst, const void *src, size_t n);
long strncpy_from_user(char *dst, u64 src, size_t n);  // length, -EFAULT, -ENAMETOOLONG

// proc.c
struct waitinfo {  // an osv_run caller waiting for the app it started
  bool done;
  int code;
};
// Load an app into a new process with one thread (not yet runnable).
int proc_spawn(const char *path, int argc, char *const argv[], int envc, char *const envp[], struct proc *parent,
               struct thread **out);
void proc_teardown(struct proc *p);
u64 krandom(void);

// sched.c: one run queue shared by every hart, under the big kernel lock (README "Threads and SMP")
void klock(void);
void kunlock(void);
bool klock_held(void);
struct thread *thread_new(struct proc *p);
void thread_discard(struct thread *t);
void thread_make_runnable(struct thread *t);
void sched_yield_now(void);
void sched_migrate(void);
int thread_sleep(const void *chan, u64 deadline);  // 0 woken, -ETIMEDOUT, -EINTR (process exiting)
int thread_sleep_bits(const void *chan, u32 bits, u64 deadline);
int thread_wait(const void *chan);                 // not interrupted by the process exiting
void thread_interrupt(struct thread *t);             // a sleeping thread's call returns -EINTR
int wakeup(const void *chan, int n);                  // wakes up to n threads sleeping on chan
int wakeup_bits(const void *chan, u32 bits, int n);
int requeue(const void *from, const void *to, int n);
__attribute__((noreturn)) void thread_exit(void);
__attribute__((noreturn)) void proc_exit_group(int code);
void proc_kill_others(struct proc *p);
__attribute__((noreturn)) void scheduler(void);
void sched_start_harts(void);
void sched_timer_tick(void);
void sched_program_timer(struct cpu *c);
void ipi_send(int hart);
void ipi_service(struct cpu *c);
void tlb_shootdown(struct proc *p);
// signal.c
void signal_fault(struct thread *t, int sig, u64 cause, u64 tval);
bool signal_deliver(struct thread *t);
struct trapframe *trap_return(struct thread *t);
int sched_harts(void);
u64 sched_all_harts_mask(void);
int sched_thread_count(struct proc *p);
struct thread *sched_thread_at(int i);  // iteration over all threads (NULL past the end)
int sched_stats(char *buf, size_t len);
struct trapframe *return_to_user(struct thread *t);

// syscall.c
void syscall_dispatch(struct trapframe *tf);
void fp_save(u64 *area);
void fp_restore(u64 *area);
extern void user_return(struct trapframe *tf) __attribute__((noreturn));
void swtch(struct kctx *from, struct kctx *to);

#endif
