// vm.c — app address spaces: Sv39 page tables (privileged spec §4.4, §4.3.1 PTE format) used by
// U-mode only (satp does not translate M-mode accesses), demand-zero areas for stack, brk and
// anonymous mmap, and user-memory access for the M-mode kernel by walking the tables in software
// (checking U and R/W like the hardware would), so a bad pointer from an app becomes -EFAULT.
#include "errno.h"
#include "proc.h"

#define PTE_V 1
#define PTE_R 2
#define PTE_W 4
#define PTE_X 8
#define PTE_U 16
#define PTE_A 64
#define PTE_D 128
#define PTE_NOFREE 256  // RSW bit 8: page not owned by the app (a DAX window page, dax.c)
#define PTE_PA(p) (((p) >> 10) << 12)

u64 *vm_create(void) { return page_alloc(1); }

static u64 *walk(u64 *root, u64 va, bool alloc) {
  u64 *t = root;
  for (int level = 2; level > 0; level--) {
    u64 *pte = &t[(va >> (12 + 9 * level)) & 511];
    if (!(*pte & PTE_V)) {
      if (!alloc) return NULL;
      u64 *n = page_alloc(1);
      if (!n) return NULL;
      *pte = (((u64)n >> 12) << 10) | PTE_V;
    }
    t = (u64 *)PTE_PA(*pte);
  }
  return &t[(va >> 12) & 511];
}

static u64 perm_bits(u32 flags) {
  return (flags & VMA_R ? PTE_R : 0) | (flags & VMA_W ? PTE_W | PTE_R : 0) | (flags & VMA_X ? PTE_X : 0);
}

static void sfence(void) { __asm__ volatile("sfence.vma zero, zero" ::: "memory"); }

int vm_map(struct proc *p, u64 va, u64 pa, u32 flags) {
  u64 *pte = walk(p->pagetable, va, true);
  if (!pte) return -ENOMEM;
  if (!(*pte & PTE_V)) p->rss++;
  *pte = ((pa >> 12) << 10) | PTE_V | PTE_U | PTE_A | PTE_D | perm_bits(flags);
  return 0;
}

// A page the app does not own (a DAX window page): never freed, dax_page_released() at unmap.
int vm_map_nofree(struct proc *p, u64 va, u64 pa, u32 flags) {
  int r = vm_map(p, va, pa, flags);
  if (r == 0) *walk(p->pagetable, va, false) |= PTE_NOFREE;
  return r;
}

static struct vma *vma_find(struct proc *p, u64 va) {
  for (int i = 0; i < p->nvma; i++)
    if (va >= p->vmas[i].start && va < p->vmas[i].end) return &p->vmas[i];
  return NULL;
}

int vm_add_vma(struct proc *p, u64 start, u64 end, u32 flags) {
  if (p->nvma == NVMA) return -ENOMEM;
  p->vmas[p->nvma++] = (struct vma){start, end, flags};
  return 0;
}

// Remove [start, end) from the VMA list, splitting partly covered areas; the removed pieces
// are returned in `out` (when given) so mprotect can re-add them with new permissions.
static int vma_remove(struct proc *p, u64 start, u64 end, struct vma *out, int *nout, int max) {
  for (int i = 0; i < p->nvma;) {
    struct vma v = p->vmas[i];
    if (v.end <= start || v.start >= end) {
      i++;
      continue;
    }
    if (p->nvma + 1 > NVMA) return -ENOMEM;
    u64 lo = MAX(v.start, start), hi = MIN(v.end, end);
    p->vmas[i] = p->vmas[--p->nvma];
    if (out && *nout < max) out[(*nout)++] = (struct vma){lo, hi, v.flags};
    if (v.start < lo) p->vmas[p->nvma++] = (struct vma){v.start, lo, v.flags};
    if (hi < v.end) p->vmas[p->nvma++] = (struct vma){hi, v.end, v.flags};
  }
  return 0;
}

// Clear the PTEs of [start, end); pages are freed only after every hart running p has flushed its
// TLB (tlb_shootdown), in batches.
static void zap_range(struct proc *p, u64 start, u64 end) {
  u64 batch[64];
  int n = 0;
  for (u64 va = start; va < end; va += PAGE_SIZE) {
    u64 *pte = walk(p->pagetable, va, false);
    if (!pte) {
      va = ALIGN_DOWN(va, 1UL << 21) + (1UL << 21) - PAGE_SIZE;  // no leaf table: skip its 2 MiB
      continue;
    }
    if (*pte & PTE_V) {
      batch[n++] = *pte;
      *pte = 0;
      p->rss--;
    }
    if (n == 64 || (n && va + PAGE_SIZE >= end)) {
      sfence();
      tlb_shootdown(p);
      for (int i = 0; i < n; i++)
        if (!(batch[i] & PTE_NOFREE)) page_free((void *)PTE_PA(batch[i]), 1);
        else dax_page_released(PTE_PA(batch[i]));
      n = 0;
    }
  }
  if (n) {
    sfence();
    tlb_shootdown(p);
    for (int i = 0; i < n; i++)
      if (!(batch[i] & PTE_NOFREE)) page_free((void *)PTE_PA(batch[i]), 1);
      else dax_page_released(PTE_PA(batch[i]));
  }
}

int vm_unmap_range(struct proc *p, u64 start, u64 end) {
  zap_range(p, start, end);
  return vma_remove(p, start, end, NULL, NULL, 0);
}

// madvise(MADV_DONTNEED): anonymous pages are dropped and read back as zero; other mappings (file
// copies, DAX pages) keep their contents, which is what a read-only or reloadable mapping shows.
void vm_discard(struct proc *p, u64 start, u64 end) {
  for (int i = 0; i < p->nvma; i++) {
    struct vma v = p->vmas[i];
    if (!(v.flags & VMA_ANON) || v.end <= start || v.start >= end) continue;
    zap_range(p, MAX(v.start, start), MIN(v.end, end));
  }
}

// mremap's move: the pages of [from, from + len) now appear at [to, to + len) (which is free), with
// the same permissions; the old range's VMAs are dropped and its flags given to the new range.
int vm_move_range(struct proc *p, u64 from, u64 to, u64 len, u32 flags) {
  for (u64 off = 0; off < len; off += PAGE_SIZE) {
    u64 *o = walk(p->pagetable, from + off, false);
    if (!o || !(*o & PTE_V)) continue;
    u64 *n = walk(p->pagetable, to + off, true);
    if (!n) return -ENOMEM;
    *n = *o;
    *o = 0;
  }
  sfence();
  tlb_shootdown(p);
  int r = vma_remove(p, from, from + len, NULL, NULL, 0);
  return r < 0 ? r : vm_add_vma(p, to, to + len, flags);
}

struct vma *vm_vma_at(struct proc *p, u64 va) { return vma_find(p, va); }

int vm_protect(struct proc *p, u64 start, u64 end, u32 flags) {
  // A DAX window page is read-only (the host maps it MAP_PRIVATE: a store would silently vanish),
  // and there is no copy-on-write: refuse write permission on it, as Linux does for a read-only
  // shared file mapping.
  for (u64 va = start; (flags & VMA_W) && va < end; va += PAGE_SIZE) {
    u64 *pte = walk(p->pagetable, va, false);
    if (pte && (*pte & PTE_V) && (*pte & PTE_NOFREE)) return -EACCES;
  }
  for (u64 va = start; va < end; va += PAGE_SIZE) {
    u64 *pte = walk(p->pagetable, va, false);
    if (pte && (*pte & PTE_V)) *pte = (*pte & ~(u64)(PTE_R | PTE_W | PTE_X)) | perm_bits(flags);
  }
  sfence();
  tlb_shootdown(p);
  struct vma pieces[16];
  int n = 0;
  int r = vma_remove(p, start, end, pieces, &n, 16);
  for (int i = 0; i < n && r == 0; i++)
    r = vm_add_vma(p, pieces[i].start, pieces[i].end, (pieces[i].flags & VMA_ANON) | flags);
  return r;
}

// Demand paging: a first touch inside an anonymous VMA gets a zeroed page.
bool vm_handle_fault(struct proc *p, u64 va, bool write, bool exec) {
  if (va < USER_MIN || va > USER_MAX) return false;
  u64 *pte = walk(p->pagetable, va, false);
  if (pte && (*pte & PTE_V)) {
    // Present. Another hart may have widened the permissions (mprotect) after this hart cached the
    // old entry: then a local sfence.vma is the whole fix. Otherwise it is a real permission fault.
    bool allowed = (*pte & PTE_U) && (write ? (*pte & PTE_W) : exec ? (*pte & PTE_X) : (*pte & PTE_R));
    if (allowed) sfence();
    return allowed;
  }
  struct vma *v = vma_find(p, va);
  if (!v || !(v->flags & VMA_ANON)) return false;
  if ((write && !(v->flags & VMA_W)) || (exec && !(v->flags & VMA_X)) || (!write && !exec && !(v->flags & VMA_R)))
    return false;
  void *pg = page_alloc(1);
  if (!pg) {
    kprintf("%s: out of memory at %lx\n", p->exe, (unsigned long)va);
    return false;
  }
  if (vm_map(p, ALIGN_DOWN(va, PAGE_SIZE), (u64)pg, v->flags) < 0) {
    page_free(pg, 1);
    return false;
  }
  sfence();
  return true;
}

u64 vm_user_pa(struct proc *p, u64 va, bool write) {
  if (va < USER_MIN || va > USER_MAX) return 0;
  for (int tries = 0; tries < 2; tries++) {
    u64 *pte = walk(p->pagetable, va, false);
    if (pte && (*pte & PTE_V)) {
      if (!(*pte & PTE_U) || (write && !(*pte & PTE_W)) || (!write && !(*pte & PTE_R))) return 0;
      return PTE_PA(*pte) + (va & (PAGE_SIZE - 1));
    }
    if (!vm_handle_fault(p, va, write, false)) return 0;
  }
  return 0;
}

void vm_activate(struct proc *p) {
  csr_write(satp, (8UL << 60) | ((u64)p->pagetable >> 12));  // MODE = 8: Sv39
  sfence();
}

static void free_level(u64 *t, int level) {
  for (int i = 0; i < 512; i++) {
    if (!(t[i] & PTE_V)) continue;
    if (level == 0) {
      if (!(t[i] & PTE_NOFREE)) page_free((void *)PTE_PA(t[i]), 1);
      else dax_page_released(PTE_PA(t[i]));
    } else {
      free_level((u64 *)PTE_PA(t[i]), level - 1);
    }
  }
  page_free(t, 1);
}

void vm_destroy(u64 *root) {
  if (root) free_level(root, 2);
}

size_t vm_resident_pages(struct proc *p) { return p->rss; }

int copy_from_user(void *dst, u64 src, size_t n) {
  u8 *d = dst;
  while (n) {
    u64 pa = vm_user_pa(current, src, false);
    if (!pa) return -EFAULT;
    size_t k = MIN(n, PAGE_SIZE - (src & (PAGE_SIZE - 1)));
    memcpy(d, (void *)pa, k);
    d += k, src += k, n -= k;
  }
  return 0;
}

int copy_to_user(u64 dst, const void *src, size_t n) {
  const u8 *s = src;
  while (n) {
    u64 pa = vm_user_pa(current, dst, true);
    if (!pa) return -EFAULT;
    size_t k = MIN(n, PAGE_SIZE - (dst & (PAGE_SIZE - 1)));
    memcpy((void *)pa, s, k);
    s += k, dst += k, n -= k;
  }
  return 0;
}

long strncpy_from_user(char *dst, u64 src, size_t n) {
  for (size_t i = 0; i < n;) {
    u64 pa = vm_user_pa(current, src + i, false);
    if (!pa) return -EFAULT;
    size_t k = MIN(n - i, PAGE_SIZE - ((src + i) & (PAGE_SIZE - 1)));
    const char *s = (const char *)pa;
    for (size_t j = 0; j < k; j++) {
      dst[i + j] = s[j];
      if (!s[j]) return (long)(i + j);
    }
    i += k;
  }
  return -ENAMETOOLONG;
}
