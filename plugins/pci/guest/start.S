# Entry at 0x80000000 in M-mode (QEMU virt with -bios none): park harts other than 0, set a stack, call main.
    .section .text.start, "ax"
    .globl _start
_start:
    csrr  t0, mhartid
    bnez  t0, park
    la    sp, __stack_top
    call  main
park:
    wfi
    j     park
