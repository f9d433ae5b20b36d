// t_stdio.c — the C library on top of the system calls: stdio files, formatting, malloc.
// Usage: t_stdio DIR
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#ifdef USE_GLIBC
#include <unistd.h>
#define CHDIR chdir
#else
#include "osv.h"
#define CHDIR osv_chdir
#endif

static int cmp(const void *a, const void *b) { return *(const int *)a - *(const int *)b; }

int main(int argc, char **argv) {
  if (argc < 2 || CHDIR(argv[1]) != 0) return 2;
  FILE *f = fopen("stdio.txt", "w");
  if (!f) return perror("fopen"), 1;
  for (int i = 0; i < 100; i++) fprintf(f, "line %03d %s\n", i, i % 2 ? "odd" : "even");
  fclose(f);
  f = fopen("stdio.txt", "r");
  char line[64];
  int n = 0;
  while (fgets(line, sizeof(line), f)) n++;
  printf("lines read back: %d\n", n);
  fseek(f, 9 * 14, SEEK_SET);
  fgets(line, sizeof(line), f);
  printf("line at offset 126: %s", line);
  printf("ftell: %ld\n", ftell(f));
  fclose(f);
  remove("stdio.txt");
  printf("missing file: %s\n", fopen("no-such-file", "r") ? "opened?" : "NULL");
  printf("floats: %.3f %.2e %g %d%%\n", 3.14159265, 12345.678, 0.0001, 42);
  printf("strtod: %.4f, strtol: %ld\n", strtod("2.5e3", NULL), strtol("-0x1f", NULL, 16));
  int v[8] = {5, 3, 9, 1, 7, 2, 8, 4};
  qsort(v, 8, sizeof(int), cmp);
  printf("sorted:");
  for (int i = 0; i < 8; i++) printf(" %d", v[i]);
  printf("\n");
  size_t total = 0;
  for (int i = 1; i <= 64; i++) {
    char *p = malloc((size_t)i * 1024);
    memset(p, i, (size_t)i * 1024);
    total += (size_t)i * 1024;
    free(p);
  }
  printf("malloc total %zu\n", total);

  printf("time() after 2020: %s\n", time(NULL) > 1577836800 ? "yes" : "no");
  printf("done\n");
  return 0;
}
