# Shared start-up for the C guests: hart 0 runs main(); other harts wait. Exits through sifive_test.
    .section .text.start
    .globl _start
_start:
    csrr  t0, mhartid
    bnez  t0, park
    la    sp, __stack_top
    li    t0, 0x6000           # mstatus.FS = Dirty: enable the FPU
    csrs  mstatus, t0
    la    t0, __bss_start
    la    t1, __bss_end
1:  bgeu  t0, t1, 2f
    sd    zero, 0(t0)
    addi  t0, t0, 8
    j     1b
2:  la    t0, boot_ready       # let the other harts in only now that .bss is clear
    li    t1, 1
    fence rw, rw
    sd    t1, 0(t0)
    call  main
    j     exit_code
park:
    # secondary harts: wait for hart 0 to clear .bss, take a stack each below hart 0's, then run
    # secondary(hartid) if the program defines one
    la    t1, boot_ready
5:  ld    t2, 0(t1)
    beqz  t2, 5b
    fence rw, rw
    la    sp, __stack_top
    slli  t1, t0, 14
    sub   sp, sp, t1
    li    t1, 0x6000
    csrs  mstatus, t1
    mv    a0, t0
    .weak secondary
    la    t1, secondary
    beqz  t1, 4f
    jr    t1
4:  wfi
    j     4b

    .data
    .balign 8
boot_ready: .dword 0

    .text
    .globl exit_code
# exit_code(a0): 0 → finisher PASS (exit 0), else FAIL with the code
exit_code:
    li    t0, 0x100000
    beqz  a0, 3f
    slli  a0, a0, 16
    li    t1, 0x3333
    or    a0, a0, t1
    sw    a0, 0(t0)
    j     .
3:  li    t1, 0x5555
    sw    t1, 0(t0)
    j     .
