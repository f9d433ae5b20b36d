// t_dirs.c — directories: mkdirat, getdents64, chdir/getcwd, faccessat, unlinkat, readlinkat.
#include "tcommon.h"

static int cmp(const void *a, const void *b) { return strcmp((const char *)a, (const char *)b); }

int main(int argc, char **argv) {
  if (argc < 2) return 2;
  unsigned char st[128];
  char buf[4096], names[32][64];
  SHOW("chdir", S1(NR_chdir, argv[1]));
  SHOW("mkdirat", S3(NR_mkdirat, FDCWD, "d", 0755));
  SHOW("mkdirat again", S3(NR_mkdirat, FDCWD, "d", 0755));
  const char *files[] = {"d/b", "d/a", "d/c"};
  for (int i = 0; i < 3; i++) S1(NR_close, S4(NR_openat, FDCWD, files[i], L_O_CREAT | L_O_WRONLY, 0644));
  SHOW("mkdirat sub", S3(NR_mkdirat, FDCWD, "d/sub", 0700));
  long dfd = S4(NR_openat, FDCWD, "d", L_O_RDONLY | L_O_DIRECTORY, 0);
  int n = 0;
  long got;
  while ((got = S3(NR_getdents64, dfd, buf, sizeof(buf))) > 0) {
    for (long o = 0; o < got;) {
      unsigned short rl;
      memcpy(&rl, buf + o + 16, 2);
      const char *nm = buf + o + 19;
      unsigned char type = (unsigned char)buf[o + 18];
      if (strcmp(nm, ".") && strcmp(nm, "..") && n < 32) snprintf(names[n++], 64, "%s(%u)", nm, type);
      o += rl;
    }
  }
  SHOW("getdents64 end", got);
  qsort(names, (size_t)n, 64, cmp);
  printf("entries:");
  for (int i = 0; i < n; i++) printf(" %s", names[i]);
  printf("\n");
  S1(NR_close, dfd);
  SHOW("getdents64 on file", S3(NR_getdents64, S4(NR_openat, FDCWD, "d/a", 0, 0), buf, sizeof(buf)));
  SHOW("chdir d", S1(NR_chdir, "d"));
  long l = S2(NR_getcwd, buf, sizeof(buf));
  printf("getcwd = %s (len ok: %s)\n", base_of(buf), l == (long)strlen(buf) + 1 ? "yes" : "no");
  SHOW("getcwd small", S2(NR_getcwd, buf, 1));
  SHOW("faccessat a", S4(NR_faccessat, FDCWD, "a", 0, 0));
  SHOW("faccessat missing", S4(NR_faccessat, FDCWD, "nope", 0, 0));
  SHOW("stat sub", S4(NR_newfstatat, FDCWD, "sub", st, 0));
  unsigned mode;
  memcpy(&mode, st + 16, 4);
  printf("sub mode = %o\n", mode);
  SHOW("chdir file", S1(NR_chdir, "a"));
  SHOW("chdir ..", S1(NR_chdir, ".."));
  SHOW("rmdir non-empty", S3(NR_unlinkat, FDCWD, "d", 0x200));
  SHOW("unlink dir", S3(NR_unlinkat, FDCWD, "d/sub", 0));
  SHOW("rmdir file", S3(NR_unlinkat, FDCWD, "d/a", 0x200));
  SHOW("rmdir sub", S3(NR_unlinkat, FDCWD, "d/sub", 0x200));
  for (int i = 0; i < 3; i++) S3(NR_unlinkat, FDCWD, files[i], 0);
  SHOW("rmdir d", S3(NR_unlinkat, FDCWD, "d", 0x200));
  SHOW("stat d", S4(NR_newfstatat, FDCWD, "d", st, 0));
  memset(buf, 0, sizeof(buf));
  long rl = S4(NR_readlinkat, FDCWD, "/proc/self/exe", buf, sizeof(buf));
  CHECK("readlinkat /proc/self/exe", rl > 0 && strstr(buf, "t_dirs") != NULL);
  printf("done\n");
  return 0;
}
