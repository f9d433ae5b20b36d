# The mailbox seen from a guest: a bare-metal riscv64 program for the virt board (like qemu -bios none
# -kernel) that reads the mailbox at 0x10200000 — the base `--device mailbox,base=0x10200000` gives it, and
# the one the device tree names in /soc/mailbox@10200000 — checks its ID, writes and reads back SCRATCH,
# reads COUNTER twice, prints what it found on UART0 and exits through sifive_test: 0 when the device
# answered as documented, 1 when not, 2 when nothing is mapped there (the load faults).
    .equ UART0,    0x10000000
    .equ TEST,     0x100000
    .equ MAILBOX,  0x10200000
    .equ ID,       0x00
    .equ COUNTER,  0x04
    .equ SCRATCH,  0x08
    .equ MAGIC,    0x4d424f58          # "MBOX"

    .section .text.start
    .globl _start
_start:
    csrr  t0, mhartid
    bnez  t0, park
    la    t0, nodevice
    csrw  mtvec, t0                  # an access fault (nothing at MAILBOX) lands there
    li    s2, MAILBOX
    la    a0, found
    call  puts
    lwu   a0, ID(s2)
    call  puthex                     # the ID register
    li    t0, MAGIC
    lwu   t1, ID(s2)
    bne   t1, t0, bad
    li    t0, 0x1234abcd
    sw    t0, SCRATCH(s2)
    lwu   t1, SCRATCH(s2)
    bne   t1, t0, bad
    lwu   t2, COUNTER(s2)
    lwu   t3, COUNTER(s2)
    addi  t2, t2, 1
    bne   t2, t3, bad
    la    a0, good
    call  puts
    li    t0, TEST
    li    t1, 0x5555                 # sifive_test: pass, exit 0
    sw    t1, 0(t0)
    j     park
bad:
    la    a0, wrong
    call  puts
    li    t0, TEST
    li    t1, (1 << 16) | 0x3333     # sifive_test: fail with code 1
    sw    t1, 0(t0)
park:
    wfi
    j     park

    .balign 4
nodevice:
    la    a0, missing
    call  puts
    li    t0, TEST
    li    t1, (2 << 16) | 0x3333     # sifive_test: fail with code 2
    sw    t1, 0(t0)
    j     park

# puts(a0 = NUL-terminated string), polling LSR.THRE
puts:
    li    t5, UART0
1:  lbu   t4, 0(a0)
    beqz  t4, 3f
2:  lbu   t6, 5(t5)
    andi  t6, t6, 0x20
    beqz  t6, 2b
    sb    t4, 0(t5)
    addi  a0, a0, 1
    j     1b
3:  ret

# puthex(a0 = 32-bit value): eight hex digits
puthex:
    li    t5, UART0
    li    t3, 28
1:  srl   t4, a0, t3
    andi  t4, t4, 15
    addi  t4, t4, '0'
    li    t6, '9'
    ble   t4, t6, 2f
    addi  t4, t4, 'a' - '9' - 1
2:  lbu   t6, 5(t5)
    andi  t6, t6, 0x20
    beqz  t6, 2b
    sb    t4, 0(t5)
    addi  t3, t3, -4
    bgez  t3, 1b
    ret

    .section .rodata
found: .asciz "mailbox at 0x10200000: ID "
good:  .asciz "\nmailbox: ID, SCRATCH and COUNTER answer as documented\n"
wrong: .asciz "\nmailbox: unexpected register values\n"
missing: .asciz "nothing mapped (access fault): add --device mailbox,base=0x10200000\n"
