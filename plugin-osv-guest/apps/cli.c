// cli.c — a small shell for the OSv-like guest: file commands, `>`/`>>` redirection, running
// other apps (the kernel runs them and returns their exit status), timing, system info.
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "osv.h"

#define MAXARGS 32
static int last_status;

static double now_s(void) {
  struct timespec ts;
  osv_clock_gettime(OSV_CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void err(const char *cmd, const char *what) { fprintf(stderr, "%s: %s: %s\n", cmd, what, strerror(errno)); }

static void mode_str(unsigned m, char *s) {
  const char *t = "?pc?d?b?-?l?s???";
  s[0] = t[(m >> 12) & 15];
  const char *rwx = "rwxrwxrwx";
  for (int i = 0; i < 9; i++) s[1 + i] = (m & (0400 >> i)) ? rwx[i] : '-';
  s[10] = 0;
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void ls_entry(const char *dir, const char *name, int lng) {
  if (!lng) {
    printf("%s\n", name);
    return;
  }
  char path[512];
  struct stat st;
  snprintf(path, sizeof(path), "%s/%s", strcmp(dir, "/") ? dir : "", name);
  if (osv_lstat(path, &st) < 0) {
    printf("?????????? %s\n", name);
    return;
  }
  char ms[11], tb[32];
  mode_str(st.st_mode, ms);
  time_t t = st.st_mtim.tv_sec;
  struct tm tm;
  gmtime_r(&t, &tm);
  strftime(tb, sizeof(tb), "%Y-%m-%d %H:%M", &tm);
  printf("%s %2u %8ld %s %s", ms, (unsigned)st.st_nlink, (long)st.st_size, tb, name);
  if (S_ISLNK(st.st_mode)) {
    char l[256];
    long n = osv_readlink(path, l, sizeof(l) - 1);
    if (n >= 0) l[n] = 0, printf(" -> %s", l);
  }
  printf("\n");
}

static int cmd_ls(int argc, char **argv) {
  int lng = 0, i = 1, rc = 0;
  if (i < argc && !strcmp(argv[i], "-l")) lng = 1, i++;
  const char *dflt[] = {"."};
  char **paths = i < argc ? argv + i : (char **)dflt;
  int np = i < argc ? argc - i : 1;
  for (int k = 0; k < np; k++) {
    struct stat st;
    if (stat(paths[k], &st) < 0) {
      err("ls", paths[k]);
      rc = 1;
      continue;
    }
    if (!S_ISDIR(st.st_mode)) {
      ls_entry(".", paths[k], lng);
      continue;
    }
    OSV_DIR *d = osv_opendir(paths[k]);
    if (!d) {
      err("ls", paths[k]);
      rc = 1;
      continue;
    }
    if (np > 1) printf("%s:\n", paths[k]);
    char **names = NULL;
    int n = 0, cap = 0;
    struct osv_dirent *e;
    while ((e = osv_readdir(d))) {
      if (e->name[0] == '.') continue;
      if (n == cap) names = realloc(names, sizeof(char *) * (size_t)(cap = cap ? cap * 2 : 32));
      names[n++] = strdup(e->name);
    }
    osv_closedir(d);
    qsort(names, (size_t)n, sizeof(char *), cmp_str);
    for (int j = 0; j < n; j++) ls_entry(paths[k], names[j], lng), free(names[j]);
    free(names);
  }
  return rc;
}

static int cmd_cat(int argc, char **argv) {
  static char buf[65536];
  int rc = 0;
  for (int i = 1; i < argc; i++) {
    int fd = open(argv[i], O_RDONLY);
    if (fd < 0) {
      err("cat", argv[i]);
      rc = 1;
      continue;
    }
    long n;
    while ((n = read(fd, buf, sizeof(buf))) > 0) fwrite(buf, 1, (size_t)n, stdout);
    if (n < 0) err("cat", argv[i]), rc = 1;
    close(fd);
  }
  return rc;
}

static int cmd_hexdump(int argc, char **argv) {
  if (argc < 2) return fprintf(stderr, "usage: hexdump FILE\n"), 1;
  int fd = open(argv[1], O_RDONLY);
  if (fd < 0) return err("hexdump", argv[1]), 1;
  unsigned char b[16];
  long off = 0, n;
  while ((n = read(fd, b, 16)) > 0) {
    printf("%08lx ", off);
    for (int i = 0; i < 16; i++) {
      if (i == 8) printf(" ");
      if (i < n) printf(" %02x", b[i]);
      else printf("   ");
    }
    printf("  |");
    for (int i = 0; i < n; i++) putchar(b[i] >= 32 && b[i] < 127 ? b[i] : '.');
    printf("|\n");
    off += n;
  }
  printf("%08lx\n", off);
  close(fd);
  return 0;
}

static int cmd_stat(int argc, char **argv) {
  int rc = 0;
  for (int i = 1; i < argc; i++) {
    struct stat st;
    if (osv_lstat(argv[i], &st) < 0) {
      err("stat", argv[i]);
      rc = 1;
      continue;
    }
    char ms[11], tb[40];
    mode_str(st.st_mode, ms);
    time_t t = st.st_mtim.tv_sec;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(tb, sizeof(tb), "%Y-%m-%d %H:%M:%S UTC", &tm);
    const char *type = S_ISDIR(st.st_mode) ? "directory" : S_ISREG(st.st_mode) ? "regular file"
                       : S_ISLNK(st.st_mode) ? "symbolic link" : "other";
    printf("  File: %s\n  Size: %ld\tBlocks: %ld\tIO Block: %ld\t%s\n", argv[i], (long)st.st_size,
           (long)st.st_blocks, (long)st.st_blksize, type);
    printf("Device: %lxh\tInode: %lu\tLinks: %u\nAccess: (%04o/%s)  Uid: %u  Gid: %u\nModify: %s\n",
           (unsigned long)st.st_dev, (unsigned long)st.st_ino, (unsigned)st.st_nlink, (unsigned)(st.st_mode & 07777),
           ms, (unsigned)st.st_uid, (unsigned)st.st_gid, tb);
  }
  return rc;
}

static int cmd_free(void) {
  FILE *f = fopen("/proc/meminfo", "r");
  if (!f) return err("free", "/proc/meminfo"), 1;
  long total = 0, fr = 0;
  char line[128];
  while (fgets(line, sizeof(line), f)) {
    sscanf(line, "MemTotal: %ld", &total);
    sscanf(line, "MemFree: %ld", &fr);
  }
  fclose(f);
  printf("%-7s %10s %10s %10s\n", "", "total", "used", "free");
  printf("%-7s %10ld %10ld %10ld\n", "Mem:", total, total - fr, fr);
  return 0;
}

static int run(int argc, char **argv);

static int cmd_time(int argc, char **argv) {
  if (argc < 2) return fprintf(stderr, "usage: time CMD [ARGS]\n"), 1;
  long r0 = osv_fuse_requests();
  double t0 = now_s();
  int rc = run(argc - 1, argv + 1);
  double t1 = now_s();
  fflush(stdout);
  fprintf(stderr, "real %.3fs, %ld FUSE requests\n", t1 - t0, osv_fuse_requests() - r0);
  return rc;
}

static int run_app(int argc, char **argv) {
  char path[256];
  if (strchr(argv[0], '/'))
    snprintf(path, sizeof(path), "%s", argv[0]);
  else
    snprintf(path, sizeof(path), "/%s", argv[0]);
  struct stat st;
  if (stat(path, &st) < 0 || !S_ISREG(st.st_mode)) {
    fprintf(stderr, "cli: %s: command not found\n", argv[0]);
    return 127;
  }
  fflush(stdout);
  argv[argc] = NULL;
  int rc = osv_run(path, argv);
  if (rc < 0) {
    fprintf(stderr, "cli: %s: %s\n", argv[0], strerror(errno));
    return 126;
  }
  return rc;
}

static int run(int argc, char **argv) {
  const char *c = argv[0];
  if (!strcmp(c, "ls")) return cmd_ls(argc, argv);
  if (!strcmp(c, "cat")) return cmd_cat(argc, argv);
  if (!strcmp(c, "hexdump")) return cmd_hexdump(argc, argv);
  if (!strcmp(c, "stat")) return cmd_stat(argc, argv);
  if (!strcmp(c, "free")) return cmd_free();
  if (!strcmp(c, "time")) return cmd_time(argc, argv);
  if (!strcmp(c, "mounts")) {
    char *a[] = {"cat", "/proc/mounts", NULL};
    return cmd_cat(2, a);
  }
  if (!strcmp(c, "echo")) {
    for (int i = 1; i < argc; i++) printf("%s%s", i > 1 ? " " : "", argv[i]);
    printf("\n");
    return 0;
  }
  if (!strcmp(c, "pwd")) {
    char b[256];
    printf("%s\n", osv_getcwd(b, sizeof(b)) ? b : "?");
    return 0;
  }
  if (!strcmp(c, "cd")) return osv_chdir(argc > 1 ? argv[1] : "/") < 0 ? (err("cd", argc > 1 ? argv[1] : "/"), 1) : 0;
  if (!strcmp(c, "mkdir")) {
    int rc = 0;
    for (int i = 1; i < argc; i++)
      if (osv_mkdir(argv[i], 0755) < 0) err("mkdir", argv[i]), rc = 1;
    return rc;
  }
  if (!strcmp(c, "rm")) {
    int rc = 0;
    for (int i = 1; i < argc; i++) {
      struct stat st;
      int r = osv_lstat(argv[i], &st) == 0 && S_ISDIR(st.st_mode) ? osv_rmdir(argv[i]) : unlink(argv[i]);
      if (r < 0) err("rm", argv[i]), rc = 1;
    }
    return rc;
  }
  if (!strcmp(c, "mv")) {
    if (argc != 3) return fprintf(stderr, "usage: mv FROM TO\n"), 1;
    return osv_rename(argv[1], argv[2]) < 0 ? (err("mv", argv[1]), 1) : 0;
  }
  if (!strcmp(c, "uname")) {
    struct osv_utsname u;
    osv_uname(&u);
    if (argc > 1 && !strcmp(argv[1], "-a"))
      printf("%s %s %s %s %s\n", u.sysname, u.nodename, u.release, u.version, u.machine);
    else
      printf("%s\n", u.sysname);
    return 0;
  }
  if (!strcmp(c, "status")) return printf("%d\n", last_status), 0;
  if (!strcmp(c, "help")) {
    printf("commands: ls [-l] [PATH..], cat FILE.., hexdump FILE, stat PATH.., echo ARGS, mkdir DIR.., rm PATH..,\n"
           "  mv FROM TO, cd [DIR], pwd, time CMD, uname [-a], free, mounts, status, help, exit [CODE],\n"
           "  APP [ARGS] (runs /APP or a path), CMD > FILE, CMD >> FILE\n");
    return 0;
  }
  if (!strcmp(c, "run")) return argc > 1 ? run_app(argc - 1, argv + 1) : 1;
  return run_app(argc, argv);
}

// Words separated by blanks; single or double quotes group; `>`/`>>` set the output file.
static int parse(char *s, char **argv, char **redir, int *append) {
  int n = 0;
  *redir = NULL;
  *append = 0;
  while (*s) {
    while (*s == ' ' || *s == '\t') s++;
    if (!*s) break;
    if (*s == '>') {
      *append = s[1] == '>';
      s += *append ? 2 : 1;
      while (*s == ' ') s++;
      *redir = s;
      while (*s && *s != ' ' && *s != '\t') s++;
      if (*s) *s++ = 0;
      continue;
    }
    if (n == MAXARGS - 1) return -1;
    char *out = s, q = 0;
    argv[n++] = out;
    while (*s && (q || (*s != ' ' && *s != '\t' && *s != '>'))) {
      if (!q && (*s == '"' || *s == '\'')) { q = *s++; continue; }
      if (q && *s == q) { q = 0; s++; continue; }
      *out++ = *s++;
    }
    char stop = *s;
    if (*s && *s != '>') s++;
    *out = 0;
    if (stop == '>' && out == s) { /* word ended right at '>' */ }
  }
  argv[n] = NULL;
  return n;
}

// One input line (with its newline, if any). A line ended by end of input without a newline is
// still a line, as a shell reads it; -1 at end of input with nothing read.
static int read_line(char *buf, int n) {
  int len = 0, c = 0;
  while (len < n - 1 && (c = getchar()) != EOF) {
    buf[len++] = (char)c;
    if (c == '\n') break;
  }
  buf[len] = 0;
  if (c == EOF) clearerr(stdin);  // a terminal may give more after ^D
  return len == 0 && c == EOF ? -1 : len;
}

int main(int argc, char **argv) {
  char line[1024], *av[MAXARGS];
  int interactive = osv_isatty(0);
  (void)interactive;
  for (;;) {
    char cwd[256];
    printf("%s> ", osv_getcwd(cwd, sizeof(cwd)) ? cwd : "?");
    fflush(stdout);
    if (read_line(line, sizeof(line)) < 0) {  // end of input (^D, or the host's piped input ended)
      putchar('\n');
      return last_status;  // like a shell: the status of the last command
    }
    line[strcspn(line, "\r\n")] = 0;
    if (line[0] == '#') continue;
    char *redir;
    int append;
    int n = parse(line, av, &redir, &append);
    if (n < 0) {
      fprintf(stderr, "cli: too many arguments\n");
      continue;
    }
    if (n == 0) continue;
    if (!strcmp(av[0], "exit")) return n > 1 ? atoi(av[1]) : 0;
    int saved = -1;
    if (redir) {
      if (!*redir) {
        fprintf(stderr, "cli: missing file after >\n");
        continue;
      }
      int fd = open(redir, O_WRONLY | O_CREAT | (append ? O_APPEND : O_TRUNC), 0644);
      if (fd < 0) {
        err("cli", redir);
        continue;
      }
      fflush(stdout);
      saved = osv_dup(1);
      osv_dup2(fd, 1);
      close(fd);
    }
    last_status = run(n, av);
    if (saved >= 0) {
      fflush(stdout);
      osv_dup2(saved, 1);
      close(saved);
    }
  }
  return 0;
}
