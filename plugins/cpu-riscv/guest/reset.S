# Reset test: the first boot marks a word outside the loaded image (RAM survives a reset; the image is
# reloaded) and asks sifive_test for a reset (0x7777); the second boot sees the mark and exits 0.
    .section .text.start
    .globl _start
_start:
    csrr  t0, mhartid
    bnez  t0, park
    li    s0, 0x80100000
    li    s1, 0x100000
    ld    t1, 0(s0)
    li    t2, 0x5e5e
    beq   t1, t2, second
    sd    t2, 0(s0)
    li    t1, 0x7777
    sw    t1, 0(s1)
    j     park
second:
    sd    zero, 0(s0)
    li    t1, 0x5555
    sw    t1, 0(s1)
park:
    wfi
    j     park
