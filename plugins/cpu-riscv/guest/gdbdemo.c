/* The debugger's test guest: built with -O0 -g so gdb can break at functions, step lines, print locals and
 * watch a global. scripts/test drives the same gdb script against Drydock's stub and QEMU's (tests/gdb/). */
#include "lib.h"

volatile long counter;
long total;

static long square(long v) { return v * v; }

long accumulate(int n) {
    long sum = 0;
    for (int i = 1; i <= n; i++) {
        sum += square(i);
        counter = i;
    }
    return sum;
}

int main(void) {
    total = accumulate(4);
    puts_("gdbdemo total ");
    putdec(total);
    puts_("\n");
    return total == 30 ? 0 : 1;
}
