// elf.h — static ELF loading.
#ifndef ELF_H
#define ELF_H
#include "kernel.h"
#include "vfs.h"
struct proc;
struct elf_info {
  u64 entry, phdr, brk;
  u16 phnum, phent;
};
int elf_load(struct proc *p, struct file *f, struct elf_info *info);
#endif
