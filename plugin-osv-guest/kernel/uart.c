// uart.c — ns16550a console at 0x10000000 (virt-platform.md §1; PC16550D datasheet register map),
// with RX interrupts through PLIC source 10 and a canonical line discipline for fd 0.
#include "kernel.h"

#define UART_BASE 0x10000000UL
#define UART_IRQ 10
#define RBR 0  // receive buffer (read)
#define THR 0  // transmit holding (write)
#define IER 1  // interrupt enable: bit 0 = received data available
#define FCR 2  // FIFO control
#define LCR 3  // line control
#define MCR 4  // modem control: bit 3 = OUT2 (gates the IRQ line on PC hardware)
#define LSR 5  // line status: bit 0 = data ready, bit 5 = THR empty

static char rx_ring[4096];
static u32 rx_head, rx_tail;  // head: next write, tail: next read
static bool rx_irq_on;

void uart_init(void) {
  mmio_w8(UART_BASE + IER, 0);
  mmio_w8(UART_BASE + LCR, 0x03);  // 8 data bits, no parity, 1 stop bit
  // FCR is left alone: enabling or clearing the FIFOs would drop input that arrived before
  // boot (QEMU resets both FIFOs when FCR.FE changes), and piped scripts type ahead.
  mmio_w8(UART_BASE + MCR, 0x08);
}

void uart_putc(char c) {
  while (!(mmio_r8(UART_BASE + LSR) & 0x20)) {
  }
  mmio_w8(UART_BASE + THR, (u8)c);
}

int uart_getc_nowait(void) {
  if (mmio_r8(UART_BASE + LSR) & 0x01) return mmio_r8(UART_BASE + RBR);
  return -1;
}

// Move everything the FIFO holds into the ring; called from the PLIC handler and when polling.
static void uart_drain(void) {
  int c;
  while ((c = uart_getc_nowait()) >= 0) {
    u32 next = (rx_head + 1) % sizeof(rx_ring);
    if (next == rx_tail) break;  // ring full: leave the rest in the FIFO (flow control)
    rx_ring[rx_head] = (char)c;
    rx_head = next;
  }
}

static void uart_irq_handler(void *arg) {
  (void)arg;
  uart_drain();
}

void uart_enable_rx_irq(void) {
  plic_register(UART_IRQ, uart_irq_handler, NULL);
  plic_enable(UART_IRQ);
  mmio_w8(UART_BASE + IER, 0x01);
  rx_irq_on = true;
}

bool console_input_ready(void) {
  uart_drain();
  return rx_head != rx_tail;
}

void console_write(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (s[i] == '\n') uart_putc('\r');  // ONLCR, as a Linux tty does by default
    uart_putc(s[i]);
  }
}

static int ring_get(void) {
  for (;;) {
    uart_drain();
    if (rx_head != rx_tail) {
      char c = rx_ring[rx_tail];
      rx_tail = (rx_tail + 1) % sizeof(rx_ring);
      return (u8)c;
    }
    if (rx_irq_on && !kopts.poll)
      wait_for_interrupt();  // wfi + claim; RX raises PLIC 10
  }
}

// Canonical mode (POSIX termios ICANON | ECHO | ICRNL): collect one line with echo and
// backspace, return it; ^D on an empty line is end of file.
static char line[1024];
static size_t line_len, line_off;

long console_read(char *buf, size_t n) {
  if (line_off >= line_len) {
    line_len = line_off = 0;
    for (;;) {
      int c = ring_get();
      if (c == '\r') c = '\n';
      if (c == 4) {  // ^D
        if (line_len == 0) return 0;
        break;
      }
      if (c == 0x7f || c == 8) {
        if (line_len > 0) {
          line_len--;
          console_write("\b \b", 3);
        }
        continue;
      }
      if (line_len < sizeof(line) - 1) {
        line[line_len++] = (char)c;
        char e = (char)c;
        console_write(&e, 1);
      }
      if (c == '\n') break;
    }
  }
  size_t k = MIN(n, line_len - line_off);
  memcpy(buf, line + line_off, k);
  line_off += k;
  return (long)k;
}
