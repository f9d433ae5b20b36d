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

static bool range_free(struct proc *p, u64 start, u64 end) {
  if (start < USER_MIN || end > USER_STACK_TOP - USER_STACK_SIZE || end < start) return false;
  for (int i = 0; i < p->nvma; i++)
    if (p->vmas[i].start < end && p->vmas[i].end > start) return false;
  return true;
}

// mremap(old, old_size, new_size, flags, new_addr) (man 2 mremap): shrink in place, grow in place
// when the pages after it are free, else move with MREMAP_MAYMOVE (1) or to new_addr with
// MREMAP_FIXED (2). The range must lie in one mapping. MREMAP_DONTUNMAP is refused (EINVAL).
static long sys_mremap(u64 old, u64 osize, u64 nsize, u64 flags, u64 naddr) {
  struct proc *p = current;
  if ((old & (PAGE_SIZE - 1)) || !nsize || (flags & ~3ULL) || ((flags & 2) && !(flags & 1))) return -EINVAL;
  osize = ALIGN_UP(osize, PAGE_SIZE);
  nsize = ALIGN_UP(nsize, PAGE_SIZE);
  if (nsize > (64UL << 30)) return -ENOMEM;
  struct vma *v = vm_vma_at(p, old);
  if (!v || osize == 0 || old + osize > v->end) return -EFAULT;
  u32 vf = v->flags;
  if (flags & 2) {  // MREMAP_FIXED
    if ((naddr & (PAGE_SIZE - 1)) || naddr < USER_MIN || naddr + nsize > USER_MAX) return -EINVAL;
    if (naddr < old + osize && naddr + nsize > old) return -EINVAL;
    vm_unmap_range(p, naddr, naddr + nsize);
  } else {
    if (nsize <= osize) {
      if (nsize < osize) vm_unmap_range(p, old + nsize, old + osize);
      return (long)old;
    }
    if (range_free(p, old + osize, old + nsize)) {
      if (v->end == old + osize) v->end = old + nsize;
      else if (vm_add_vma(p, old + osize, old + nsize, vf) < 0) return -ENOMEM;
      return (long)old;
    }
    if (!(flags & 1)) return -ENOMEM;
    naddr = p->mmap_next;
    if (!range_free(p, naddr, naddr + nsize + PAGE_SIZE)) return -ENOMEM;
    p->mmap_next += nsize + PAGE_SIZE;
  }
  u64 keep = MIN(osize, nsize);
  if (osize > keep) vm_unmap_range(p, old + keep, old + osize);
  int r = vm_move_range(p, old, naddr, keep, vf);
  if (r == 0 && nsize > keep) {
    struct vma *nv = vm_vma_at(p, naddr);
    if (nv && nv->end == naddr + keep) nv->end = naddr + nsize;
    else r = vm_add_vma(p, naddr + keep, naddr + nsize, vf | VMA_ANON);
  }
  return r < 0 ? r : (long)naddr;
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
    case 216: return sys_mremap(a0, a1, a2, a3, a4);
    case 233:  // madvise
      if (a0 & (PAGE_SIZE - 1)) return -EINVAL;
      if (a2 == 4) vm_discard(current, a0, a0 + ALIGN_UP(a1, PAGE_SIZE));  // MADV_DONTNEED: zero again
      return 0;  // other advice: accepted, nothing to do
  }
  *handled = false;
  return -ENOSYS;
}
