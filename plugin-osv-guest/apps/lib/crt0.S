// crt0.S — app entry: the kernel starts us with sp at argc (Linux/RISC-V ELF ABI).
    .section .text.init.enter, "ax"
    .globl _start
_start:
    .option push
    .option norelax
    la gp, __global_pointer$
    .option pop
    mv a0, sp
    andi sp, sp, -16
    call __osv_start
1:  j 1b
