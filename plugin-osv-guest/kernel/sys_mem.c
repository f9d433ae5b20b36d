// sys_mem.c — brk, mmap (anonymous, and private/read-only file mappings), munmap, mprotect.
// Anonymous memory is demand-zero. A read-only file mapping on a filesystem with a DAX window
// maps the window's pages themselves (zero copy, vnode op map_page); otherwise, and for writable
// private mappings, the file is read in at mmap time (a copy). Shared writable file mappings are
// not supported (-ENODEV) — there is no page cache to write back from.
#include <stdlib.h>
#include "syscall.h"

#define PROT_READ 1
#define PROT_WRITE 2
#define PROT_EXEC 4
#define MAP_SHARED 1
#define MAP_PRIVATE 2
#define MAP_FIXED 0x10
#define MAP_ANONYMOUS 0x20
#define MAP_FIXED_NOREPLACE 0x100000
#define BRK_MAX (1UL << 30)

static u32 prot_flags(u64 prot) {
  return (prot & PROT_READ ? VMA_R : 0) | (prot & PROT_WRITE ? VMA_W : 0) | (prot & PROT_EXEC ? VMA_X : 0);
}

static long sys_brk(u64 addr) {
  struct proc *p = current;
  if (addr < p->brk_start || addr > p->brk_start + BRK_MAX) return (long)p->brk;
  u64 old_end = ALIGN_UP(p->brk, PAGE_SIZE), new_end = ALIGN_UP(addr, PAGE_SIZE);
  if (new_end < old_end) vm_unmap_range(p, new_end, old_end);
  struct vma *v = NULL;
  for (int i = 0; i < p->nvma; i++)
    if (p->vmas[i].start == p->brk_start && (p->vmas[i].flags & VMA_ANON)) v = &p->vmas[i];
  if (new_end > p->brk_start) {
    if (v)
      v->end = new_end;
    else if (vm_add_vma(p, p->brk_start, new_end, VMA_R | VMA_W | VMA_ANON) < 0)
      return (long)p->brk;
  }
  p->brk = addr;
  return (long)addr;
}

static long sys_mmap(u64 addr, u64 len, u64 prot, u64 flags, int fd, u64 off) {
  struct proc *p = current;
  if (!len || (off & (PAGE_SIZE - 1))) return -EINVAL;
  if (!(flags & (MAP_SHARED | MAP_PRIVATE))) return -EINVAL;
  len = ALIGN_UP(len, PAGE_SIZE);
  if (len > (64UL << 30)) return -ENOMEM;
  struct file *f = NULL;
  if (!(flags & MAP_ANONYMOUS)) {
    f = fd_get(fd);
    if (!f) return -EBADF;
    if (f->kind != FK_VNODE || !S_ISREG(f->vn->mode)) return -ENODEV;
    if ((f->flags & O_ACCMODE) == O_WRONLY) return -EACCES;
    if ((flags & MAP_SHARED) && (prot & PROT_WRITE)) return -ENODEV;
  }
  u64 va;
  if (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) {
    if (addr & (PAGE_SIZE - 1) || addr < USER_MIN || addr + len > USER_MAX) return -EINVAL;
    va = addr;
    if (flags & MAP_FIXED_NOREPLACE) {
      for (int i = 0; i < p->nvma; i++)
        if (p->vmas[i].start < va + len && p->vmas[i].end > va) return -EEXIST;
    } else {
      vm_unmap_range(p, va, va + len);
    }
  } else {
    va = p->mmap_next;
    if (va + len + PAGE_SIZE > USER_STACK_TOP - USER_STACK_SIZE) return -ENOMEM;
    p->mmap_next += len + PAGE_SIZE;  // a guard page between mappings
  }
  u32 vf = prot_flags(prot);
  if (!f) return vm_add_vma(p, va, va + len, vf | VMA_ANON) < 0 ? -ENOMEM : (long)va;
  size_t npages = len / PAGE_SIZE;
  if (!(prot & PROT_WRITE) && f->vn->ops->map_page) {
    size_t i = 0;
    for (; i < npages; i++) {
      u64 pa = f->vn->ops->map_page(f->vn, off + i * PAGE_SIZE);
      if (!pa) break;
      if (vm_map_nofree(p, va + i * PAGE_SIZE, pa, vf) < 0) {
        dax_page_released(pa);
        break;
      }
    }
    if (i == npages && vm_add_vma(p, va, va + len, vf) == 0) return (long)va;
    vm_unmap_range(p, va, va + len);  // unpins what was mapped; fall back to a copy
  }
  u8 *run = page_alloc(npages);
  if (!run) return -ENOMEM;
  long n = vfs_read_kernel(f, run, len, off);
  if (n < 0) {
    page_free(run, npages);
    return n;
  }
  for (size_t i = 0; i < npages; i++) vm_map(p, va + i * PAGE_SIZE, (u64)run + i * PAGE_SIZE, vf);
  if (vm_add_vma(p, va, va + len, vf) < 0) {
    vm_unmap_range(p, va, va + len);
    return -ENOMEM;
  }
  return (long)va;
}

long sys_mem(long nr, u64 a0, u64 a1, u64 a2, u64 a3, u64 a4, u64 a5, bool *handled) {
  *handled = true;
  switch (nr) {
    case 214: return sys_brk(a0);
    case 222: return sys_mmap(a0, a1, a2, a3, (int)a4, a5);
    case 215:  // munmap
      if (a0 & (PAGE_SIZE - 1) || !a1) return -EINVAL;
      return vm_unmap_range(current, a0, a0 + ALIGN_UP(a1, PAGE_SIZE));
    case 226:  // mprotect
      if (a0 & (PAGE_SIZE - 1)) return -EINVAL;
      return vm_protect(current, a0, a0 + ALIGN_UP(a1, PAGE_SIZE), prot_flags(a2));
    case 233: return 0;  // madvise: advice only
  }
  *handled = false;
  return -ENOSYS;
}
