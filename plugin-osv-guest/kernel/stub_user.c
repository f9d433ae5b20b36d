// stub_user.c — placeholder until the app layer lands (removed in the next commit).
#include "proc.h"
struct proc *current;
void syscall_dispatch(struct trapframe *tf) { panic("no app layer yet"); }
bool vm_handle_fault(struct proc *p, u64 va, bool w, bool x) { return false; }
struct trapframe *proc_exit(int code) { machine_exit(code); }
