// proc.c — processes. An app is loaded into a new process with one thread; its threads (clone) share
// the address space and files. An app may run another app (the cli's "run" / osv_run system call):
// the child gets a fresh address space and the caller's files, and the caller's thread sleeps until
// the child's last thread is gone, then resumes with the child's exit status.
// The initial stack follows the Linux/RISC-V ELF ABI: argc, argv[], NULL, envp[], NULL, auxv
// pairs (AT_PHDR, AT_PHENT, AT_PHNUM, AT_PAGESZ, AT_ENTRY, AT_RANDOM, ...), AT_NULL.
#include "errno.h"
#include <stdlib.h>
#include "elf.h"
#include "proc.h"
#include "vfs.h"


static int copy_to_proc(struct proc *p, u64 dst, const void *src, size_t n) {
  const u8 *s = src;
  while (n) {
    u64 pa = vm_user_pa(p, dst, true);
    if (!pa) return -EFAULT;
    size_t k = MIN(n, PAGE_SIZE - (dst & (PAGE_SIZE - 1)));
    memcpy((void *)pa, s, k);
    s += k, dst += k, n -= k;
  }
  return 0;
}

static u64 rand_state;
u64 krandom(void) {  // xorshift64*, seeded from mtime and the cycle counter; not cryptographic
  if (!rand_state) rand_state = timer_now() ^ (csr_read(mcycle) << 17) ^ 0x9e3779b97f4a7c15ULL;
  rand_state ^= rand_state >> 12;
  rand_state ^= rand_state << 25;
  rand_state ^= rand_state >> 27;
  return rand_state * 0x2545f4914f6cdd1dULL;
}

static int setup_stack(struct thread *t, const struct elf_info *ei, int argc, char *const argv[], int envc,
                       char *const envp[]) {
  struct proc *p = t->proc;
  int r = vm_add_vma(p, USER_STACK_TOP - USER_STACK_SIZE, USER_STACK_TOP, VMA_R | VMA_W | VMA_ANON);
  if (r < 0) return r;
  u64 sp = USER_STACK_TOP;
  u64 argp[33], envpp[17];
  if (argc > 32 || envc > 16) return -E2BIG;
  // strings, highest first
  for (int i = envc - 1; i >= 0; i--) {
    size_t l = strlen(envp[i]) + 1;
    sp -= l;
    if (copy_to_proc(p, sp, envp[i], l)) return -EFAULT;
    envpp[i] = sp;
  }
  for (int i = argc - 1; i >= 0; i--) {
    size_t l = strlen(argv[i]) + 1;
    sp -= l;
    if (copy_to_proc(p, sp, argv[i], l)) return -EFAULT;
    argp[i] = sp;
  }
  u64 execfn = argp[0];
  const char *plat = "riscv64";
  sp -= 8;
  copy_to_proc(p, sp, plat, 8);
  u64 platform = sp;
  u64 rnd[2] = {krandom(), krandom()};
  sp -= 16;
  copy_to_proc(p, sp, rnd, 16);
  u64 at_random = sp;
  sp = ALIGN_DOWN(sp, 16);
  u64 auxv[] = {3,  ei->phdr,  4,  ei->phent, 5,  ei->phnum, 6,  PAGE_SIZE, 7,  0,  8,  0,
                9,  ei->entry, 11, 0,         12, 0,         13, 0,         14, 0,  16, 0,
                17, 100,       23, 0,         25, at_random, 26, 0,         31, execfn, 15, platform, 0, 0};
  size_t words = 1 + (size_t)argc + 1 + (size_t)envc + 1 + ARRAY_SIZE(auxv);
  u64 *frame = malloc(words * 8);
  if (!frame) return -ENOMEM;
  size_t w = 0;
  frame[w++] = (u64)argc;
  for (int i = 0; i < argc; i++) frame[w++] = argp[i];
  frame[w++] = 0;
  for (int i = 0; i < envc; i++) frame[w++] = envpp[i];
  frame[w++] = 0;
  memcpy(&frame[w], auxv, sizeof(auxv));
  sp = ALIGN_DOWN(sp - words * 8, 16);  // psABI: sp 16-byte aligned at entry
  r = copy_to_proc(p, sp, frame, words * 8);
  free(frame);
  t->tf.x[REG_SP] = sp;
  return r;
}

static void proc_free(struct proc *p) {
  for (int i = 0; i < NFD; i++) file_put(p->fds[i]);
  vm_destroy(p->pagetable);
  free(p);
}

int proc_spawn(const char *path, int argc, char *const argv[], int envc, char *const envp[], struct proc *parent,
               struct thread **out) {
  char abs[256];
  int r = vfs_abspath(parent ? parent->cwd : "/", path, abs, sizeof(abs));
  if (r < 0) return r;
  struct file *f;
  r = vfs_open(abs, O_RDONLY, 0, &f);
  if (r < 0) return r;
  if (!S_ISREG(f->vn->mode)) {
    file_put(f);
    return -EACCES;
  }
  struct proc *p = calloc(1, sizeof(*p));
  struct thread *t = p ? thread_new(p) : NULL;
  if (!t || !(p->pagetable = vm_create())) {
    if (t) thread_discard(t);
    free(p);
    file_put(f);
    return -ENOMEM;
  }
  p->pid = t->tid;  // the main thread's tid is the pid (Linux)
  p->parent = parent;
  strncpy(p->exe, abs, sizeof(p->exe) - 1);
  strcpy(p->cwd, parent ? parent->cwd : "/");
  struct elf_info ei;
  r = elf_load(p, f, &ei);
  file_put(f);
  if (r == 0) r = setup_stack(t, &ei, argc, argv, envc, envp);
  if (r < 0) {
    thread_discard(t);
    proc_free(p);
    return r;
  }
  p->brk_start = p->brk = ei.brk;
  p->mmap_next = USER_MMAP_BASE;
  t->tf.pc = ei.entry;
  if (parent) {
    for (int i = 0; i < NFD; i++)
      if (parent->fds[i] && !parent->cloexec[i]) {
        p->fds[i] = parent->fds[i];
        file_ref(p->fds[i]);
      }
  }
  *out = t;
  return 0;
}

// The last thread of p has exited: free the process and wake the osv_run caller, or end the machine
// when p is the first app.
void proc_teardown(struct proc *p) {
  int code = p->exit_code & 0xff;
  struct waitinfo *w = p->waiter;
  if (!w) machine_exit(code);
  proc_free(p);
  w->done = true;
  w->code = code;
  wakeup(w, 1);
}
