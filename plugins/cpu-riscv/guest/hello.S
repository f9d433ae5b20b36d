# The smallest guest: print a line on UART0 (polling LSR.THRE) and exit 0 through sifive_test.
    .section .text.start
    .globl _start
_start:
    csrr  t0, mhartid
    bnez  t0, park
    li    s0, 0x10000000       # UART0
    la    s1, msg
1:  lbu   a0, 0(s1)
    beqz  a0, 3f
2:  lbu   t1, 5(s0)            # LSR
    andi  t1, t1, 0x20         # THRE
    beqz  t1, 2b
    sb    a0, 0(s0)
    addi  s1, s1, 1
    j     1b
3:  li    t0, 0x100000
    li    t1, 0x5555
    sw    t1, 0(t0)
park:
    wfi
    j     park
    .section .rodata
msg: .asciz "hello from rv64\n"
