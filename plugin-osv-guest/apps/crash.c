// crash.c — an app that faults (store to address 16), to show how the kernel ends a faulting app:
// a register dump on the console and exit status 139 (128 + SIGSEGV), like a Linux shell reports.
int main(int argc, char **argv) {
  volatile int *p = (volatile int *)(long)(argc * 16);
  *p = 1;
  return 0;
}
