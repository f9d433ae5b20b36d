// hello.c — the smallest app: greets, shows its arguments and environment count.
#include <stdio.h>

int main(int argc, char **argv, char **envp) {
  int n = 0;
  while (envp[n]) n++;
  printf("Hello from the OSv-like guest! argc=%d", argc);
  for (int i = 1; i < argc; i++) printf(" [%s]", argv[i]);
  printf(" env=%d\n", n);
  return 0;
}
