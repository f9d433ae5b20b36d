// boot.S — reset entry. QEMU virt with -bios none jumps to 0x80000000 in M-mode on every hart with
// a0 = mhartid, a1 = FDT address (virt-platform.md §4). Hart 0 boots; the others wait in wfi
// until the scheduler starts them.
    .section .text.init
    .globl _start
_start:
    csrw mie, zero
    csrw mscratch, zero          // trap entry: mscratch == 0 means "trap taken in the kernel"
    la t0, trap_entry
    csrw mtvec, t0               // direct mode (privileged spec §3.1.7)
    csrr t0, mhartid
    bnez t0, park
    la sp, boot_stack_top
    // zero .bss (QEMU zeroes RAM, Drydock may not promise it)
    la t0, __bss_start
    la t1, __bss_end
1:  bgeu t0, t1, 2f
    sd zero, 0(t0)
    addi t0, t0, 8
    j 1b
2:  mv s0, a0
    mv s1, a1
    call kmain                   // kmain(hartid, dtb) never returns
    // Secondary harts: wait for hart 0 (sched.c sched_start_harts) to release them with an IPI and
    // give each a stack; hart ids without one (beyond MAX_HARTS or the tree's count) stay parked.
park:
    li t1, 8
    csrw mie, t1                 // MSIE only: the release IPI ends wfi
1:  wfi
    la t0, hart_release
    ld t1, 0(t0)
    beqz t1, 1b
    li t2, 8
    bgeu a0, t2, 1b
    la t0, hart_stack_top
    slli t1, a0, 3
    add t0, t0, t1
    ld sp, 0(t0)
    beqz sp, 1b
    call secondary_main          // secondary_main(hartid) never returns
    j 1b

    .section .stack, "aw", @nobits
    .align 12
    .globl boot_stack
boot_stack:
    .space 32768
    .globl boot_stack_top
boot_stack_top:
