/* Minimal freestanding support for the guest programs: UART0 output, number printing, CSR access. */
#ifndef GUEST_LIB_H
#define GUEST_LIB_H
typedef unsigned long u64;
typedef long i64;
typedef unsigned int u32;
typedef int i32;

#define UART ((volatile unsigned char *)0x10000000UL)
static inline void putc_(char c) {
    while ((UART[5] & 0x20) == 0) { }
    UART[0] = (unsigned char)c;
}
static inline void puts_(const char *s) { while (*s) putc_(*s++); }
static inline void puthex(u64 v) {
    for (int i = 60; i >= 0; i -= 4) putc_("0123456789abcdef"[(v >> i) & 15]);
}
static inline void putdec(i64 v) {
    char b[24]; int n = 0; u64 u = v < 0 ? -(u64)v : (u64)v;
    if (v < 0) putc_('-');
    do { b[n++] = (char)('0' + u % 10); u /= 10; } while (u);
    while (n) putc_(b[--n]);
}
#define csr_read(name) ({ u64 __v; __asm__ volatile("csrr %0, " #name : "=r"(__v)); __v; })
#define csr_write(name, v) __asm__ volatile("csrw " #name ", %0" :: "r"((u64)(v)))
void exit_code(int code) __attribute__((noreturn));
#endif
