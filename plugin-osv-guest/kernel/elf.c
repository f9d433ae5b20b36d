// elf.c — loader for static riscv64 executables (ELF-64 gABI; RISC-V psABI: EM_RISCV = 243).
// PT_LOAD segments are read straight from the file into freshly allocated pages and mapped at
// their link addresses in the app's Sv39 space. Dynamic executables (PT_INTERP) and
// position-independent ones (ET_DYN) are refused with a clear reason.
#include "errno.h"
#include <stdlib.h>
#include "elf.h"
#include "proc.h"

struct elf64_ehdr {
  u8 ident[16];
  u16 type, machine;
  u32 version;
  u64 entry, phoff, shoff;
  u32 flags;
  u16 ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};
struct elf64_phdr {
  u32 type, flags;
  u64 offset, vaddr, paddr, filesz, memsz, align;
};
#define PT_LOAD 1
#define PT_INTERP 3
#define PT_PHDR 6
#define PF_X 1
#define PF_W 2
#define PF_R 4

static int load_segment(struct proc *p, struct file *f, const struct elf64_phdr *ph) {
  u64 first = ALIGN_DOWN(ph->vaddr, PAGE_SIZE), last = ALIGN_UP(ph->vaddr + ph->memsz, PAGE_SIZE);
  size_t npages = (last - first) / PAGE_SIZE;
  u32 flags = (ph->flags & PF_R ? VMA_R : 0) | (ph->flags & PF_W ? VMA_W : 0) | (ph->flags & PF_X ? VMA_X : 0);
  u8 *run = page_alloc_nozero(npages);
  if (!run) return -ENOMEM;
  // zero only what the file does not fill: the head of the first page and the bss tail
  u64 head = ph->vaddr - first, fill_end = head + ph->filesz;
  memset(run, 0, head);
  memset(run + fill_end, 0, npages * PAGE_SIZE - fill_end);
  if (ph->filesz) {
    long n = vfs_read_kernel(f, run + (ph->vaddr - first), ph->filesz, ph->offset);
    if (n != (long)ph->filesz) {
      page_free(run, npages);
      return n < 0 ? (int)n : -ENOEXEC;  // truncated file
    }
  }
  for (size_t i = 0; i < npages; i++) {
    u64 va = first + i * PAGE_SIZE;
    u64 existing = vm_user_pa(p, va, false);
    if (existing) {
      // page shared with the previous segment: copy this segment's bytes into it
      u64 lo = MAX(va, ph->vaddr), hi = MIN(va + PAGE_SIZE, ph->vaddr + ph->memsz);
      memcpy((void *)(existing + (lo - va)), run + (lo - first), hi - lo);
      page_free(run + i * PAGE_SIZE, 1);
      vm_protect(p, va, va + PAGE_SIZE, flags | VMA_R);
      continue;
    }
    if (vm_map(p, va, (u64)run + i * PAGE_SIZE, flags) < 0) return -ENOMEM;  // pages freed with the space
  }
  return vm_add_vma(p, first, last, flags);
}

int elf_load(struct proc *p, struct file *f, struct elf_info *info) {
  struct elf64_ehdr eh;
  long n = vfs_read_kernel(f, &eh, sizeof(eh), 0);
  if (n < 0) return (int)n;
  if (n != sizeof(eh) || memcmp(eh.ident, "\177ELF", 4)) return -ENOEXEC;
  if (eh.ident[4] != 2 || eh.ident[5] != 1) return -ENOEXEC;  // ELFCLASS64, ELFDATA2LSB
  if (eh.machine != 243) {
    kprintf("osv: %s: ELF machine %u is not RISC-V\n", p->exe, eh.machine);
    return -ENOEXEC;
  }
  if (eh.phentsize != sizeof(struct elf64_phdr) || eh.phnum == 0 || eh.phnum > 64) return -ENOEXEC;
  size_t phsz = (size_t)eh.phnum * sizeof(struct elf64_phdr);
  struct elf64_phdr *ph = malloc(phsz);
  if (!ph) return -ENOMEM;
  int r = -ENOEXEC;
  if (vfs_read_kernel(f, ph, phsz, eh.phoff) != (long)phsz) goto out;
  for (int i = 0; i < eh.phnum; i++)
    if (ph[i].type == PT_INTERP) {
      kprintf("osv: %s: dynamically linked executables are not supported (link with -static)\n", p->exe);
      goto out;
    }
  if (eh.type != 2) {
    kprintf("osv: %s: only static ET_EXEC executables are supported (ELF type %u)\n", p->exe, eh.type);
    goto out;
  }
  info->phdr = 0;
  info->brk = 0;
  for (int i = 0; i < eh.phnum; i++) {
    if (ph[i].type != PT_LOAD) continue;
    u64 end = ph[i].vaddr + ph[i].memsz;
    if (ph[i].filesz > ph[i].memsz || end < ph[i].vaddr || ph[i].vaddr < USER_MIN || end > USER_MMAP_BASE ||
        ph[i].offset + ph[i].filesz < ph[i].offset) {
      kprintf("osv: %s: PT_LOAD %d outside the app area [%lx, %lx)\n", p->exe, i, USER_MIN, USER_MMAP_BASE);
      goto out;
    }
  }
  for (int i = 0; i < eh.phnum; i++) {
    if (ph[i].type == PT_PHDR) info->phdr = ph[i].vaddr;
    if (ph[i].type != PT_LOAD || ph[i].memsz == 0) continue;
    r = load_segment(p, f, &ph[i]);
    if (r < 0) goto out;
    if (!info->phdr && eh.phoff >= ph[i].offset && eh.phoff + phsz <= ph[i].offset + ph[i].filesz)
      info->phdr = ph[i].vaddr + (eh.phoff - ph[i].offset);
    info->brk = MAX(info->brk, ALIGN_UP(ph[i].vaddr + ph[i].memsz, PAGE_SIZE));
  }
  info->entry = eh.entry;
  info->phnum = eh.phnum;
  info->phent = eh.phentsize;
  r = 0;
out:
  free(ph);
  return r;
}
