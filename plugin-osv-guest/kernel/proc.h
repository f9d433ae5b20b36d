// proc.h — an application: its registers, Sv39 address space, files and cwd.
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

struct file;
struct proc {
  struct trapframe tf;
  u64 fp[33];
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
  u64 tid_address;
  u64 rss;  // resident user pages
};

extern struct proc *current;

// vm.c
u64 *vm_create(void);
void vm_destroy(u64 *root);
int vm_map(struct proc *p, u64 va, u64 pa, u32 flags);      // one 4 KiB page
int vm_map_nofree(struct proc *p, u64 va, u64 pa, u32 flags);  // a page the app does not own (DAX)
int vm_add_vma(struct proc *p, u64 start, u64 end, u32 flags);
int vm_unmap_range(struct proc *p, u64 start, u64 end);       // frees pages, trims VMAs
int vm_protect(struct proc *p, u64 start, u64 end, u32 flags);
u64 vm_user_pa(struct proc *p, u64 va, bool write);          // 0 if not accessible; faults in demand pages
bool vm_handle_fault(struct proc *p, u64 va, bool write, bool exec);
void vm_activate(struct proc *p);
size_t vm_resident_pages(struct proc *p);

// user memory access with permission checks; return 0 or -EFAULT
int copy_from_user(void *dst, u64 src, size_t n);
int copy_to_user(u64 dst, const void *src, size_t n);
long strncpy_from_user(char *dst, u64 src, size_t n);  // length, -EFAULT, -ENAMETOOLONG

// proc.c
int proc_spawn(const char *path, int argc, char *const argv[], int envc, char *const envp[], struct proc *parent,
               struct proc **out);
__attribute__((noreturn)) void proc_start_first(struct proc *p);
struct trapframe *proc_exit(int code);  // returns the trapframe to resume (the parent) or halts
int user_fault_exit(const char *what);

// syscall.c
void syscall_dispatch(struct trapframe *tf);
void fp_save(u64 *area);
void fp_restore(u64 *area);
extern void user_return(struct trapframe *tf) __attribute__((noreturn));

#endif
