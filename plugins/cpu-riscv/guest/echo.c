/*
 * A console echo: prints a prompt without a newline, then echoes every byte it reads from UART0 (polling
 * LSR.DR) until EOT (0x04, what the host sends at the end of piped input, or Ctrl-D at a raw terminal), and
 * exits with the number of lines it read. Checks the host side of the console: output shown as written,
 * end of input delivered.
 */
#include "lib.h"

static int getc_(void) {
    while ((UART[5] & 0x01) == 0) { }
    return UART[0];
}

int main(void) {
    puts_("echo> ");
    u64 bytes = 0, lines = 0;
    for (;;) {
        int c = getc_();
        if (c == 0x04) break;
        putc_((char)c);
        bytes++;
        if (c == '\n') lines++;
    }
    puts_("\nEOT after ");
    putdec((i64)bytes);
    puts_(" bytes, ");
    putdec((i64)lines);
    puts_(" lines\n");
    return (int)lines;
}
