// uart.c — ns16550a console at 0x10000000 (virt-platform.md §1; PC16550D datasheet register map),
// with RX interrupts through PLIC source 10 and a canonical line discipline for fd 0.
#include "errno.h"
#include "proc.h"
#include "vfs.h"

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
// Readers and pollers sleeping on the console are woken when something arrived.
static void uart_drain(void) {
  int c;
  u32 before = rx_head;
  while ((c = uart_getc_nowait()) >= 0) {
    u32 next = (rx_head + 1) % sizeof(rx_ring);
    if (next == rx_tail) break;  // ring full: leave the rest in the FIFO (flow control)
    rx_ring[rx_head] = (char)c;
    rx_head = next;
  }
  if (rx_head != before && klock_held()) {
    wakeup(rx_ring, 0x7fffffff);
    io_poll_wake();
  }
}

void console_poll(void) { uart_drain(); }

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

void console_write(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (s[i] == '\n') uart_putc('\r');  // ONLCR, as a Linux tty does by default
    uart_putc(s[i]);
  }
}

// The next input byte; the thread sleeps until the UART interrupt (or, with --poll, hart 0's idle
// loop) brings one. -EINTR when a signal or the process's end interrupts the wait.
static int ring_get(void) {
  for (;;) {
    uart_drain();
    if (rx_head != rx_tail) {
      char c = rx_ring[rx_tail];
      rx_tail = (rx_tail + 1) % sizeof(rx_ring);
      return (u8)c;
    }
    int r = thread_sleep(rx_ring, kopts.poll ? timer_now() + timebase_hz / 100 : 0);
    if (r < 0 && r != -ETIMEDOUT) return r;
  }
}

// Canonical mode (POSIX termios ICANON | ECHO | ICRNL, VEOF = ^D): collect one line with echo and
// backspace, then hand it out. ^D (0x04, also what the host console sends when its piped input
// ends) completes a partial line without a newline, and on an empty line makes read() return 0:
// end of file. A line being edited survives an interrupted read.
static char line[1024];
static size_t line_len, line_off;
static bool line_done;

// A read would not block: a complete line (or ^D) is buffered.
bool console_line_ready(void) {
  uart_drain();
  if (line_done) return true;
  for (u32 i = rx_tail; i != rx_head; i = (i + 1) % sizeof(rx_ring))
    if (rx_ring[i] == '\n' || rx_ring[i] == '\r' || rx_ring[i] == 4) return true;
  return false;
}

long console_read(char *buf, size_t n, bool nonblock) {
  if (nonblock && !console_line_ready()) return -EAGAIN;
  while (!line_done) {
    int c = ring_get();
    if (c < 0) return c;
    if (c == '\r') c = '\n';
    if (c == 4) {  // VEOF
      if (line_len == 0) return 0;
      line_done = true;
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
    if (c == '\n') line_done = true;
  }
  size_t k = MIN(n, line_len - line_off);
  memcpy(buf, line + line_off, k);
  line_off += k;
  if (line_off >= line_len) line_len = line_off = 0, line_done = false;
  return (long)k;
}
