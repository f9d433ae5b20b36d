// cmdline.c — OSv-style command line: kernel options first ("--rootfs=virtiofs",
// "--virtiofs-tag=myfs", "--nodax", "--boot-time", "--poll", "--verbose", "--env=K=V"),
// then the application and its arguments ("/cli -x"). Single and double quotes group words.
#include "kernel.h"
#include <stdlib.h>

struct kopts kopts;
char *kenv[16];
int kenvc;

static char cmdbuf[1024];

// Split into words in place; returns the word count or -1 if too many / unbalanced quotes.
static int split(char *s, char **words, int max) {
  int n = 0;
  while (*s) {
    while (*s == ' ' || *s == '\t' || *s == '\n') s++;
    if (!*s) break;
    if (n == max) return -1;
    char *out = s;
    words[n++] = out;
    char quote = 0;
    while (*s && (quote || (*s != ' ' && *s != '\t' && *s != '\n'))) {
      if (!quote && (*s == '\'' || *s == '"')) {
        quote = *s++;
        continue;
      }
      if (quote && *s == quote) {
        quote = 0;
        s++;
        continue;
      }
      *out++ = *s++;
    }
    if (quote) return -1;
    if (*s) s++;
    *out = 0;
  }
  return n;
}

// Returns 0, or prints why the command line is bad and returns -1.
int cmdline_parse(const char *args) {
  static char *words[64];
  kopts.rootfs = "virtiofs";
  kopts.tag = NULL;
  if (!args) args = "";
  if (strlen(args) >= sizeof(cmdbuf)) {
    kprintf("osv: command line too long (%zu bytes, max %zu)\n", strlen(args), sizeof(cmdbuf) - 1);
    return -1;
  }
  strcpy(cmdbuf, args);
  int n = split(cmdbuf, words, 64);
  if (n < 0) {
    kprintf("osv: cannot parse command line (too many words or unbalanced quotes)\n");
    return -1;
  }
  int i = 0;
  for (; i < n && !strncmp(words[i], "--", 2); i++) {
    char *w = words[i];
    if (!strncmp(w, "--rootfs=", 9))
      kopts.rootfs = w + 9;
    else if (!strncmp(w, "--virtiofs-tag=", 15))
      kopts.tag = w + 15;
    else if (!strncmp(w, "--virtio-fs-tag=", 16))
      kopts.tag = w + 16;
    else if (!strcmp(w, "--nodax"))
      kopts.nodax = true;
    else if (!strcmp(w, "--boot-time"))
      kopts.boot_time = true;
    else if (!strcmp(w, "--poll"))
      kopts.poll = true;
    else if (!strcmp(w, "--verbose"))
      kopts.verbose = true;
    else if (!strcmp(w, "--test-panic"))
      kopts.test_panic = true;
    else if (!strncmp(w, "--env=", 6) && strchr(w + 6, '=') && kenvc < 15)
      kenv[kenvc++] = w + 6;
    else if (!strcmp(w, "--")) {
      i++;
      break;
    } else {
      kprintf("osv: unknown kernel option '%s'\n", w);
      return -1;
    }
  }
  kopts.argc = 0;
  for (; i < n && kopts.argc < 31; i++) kopts.argv[kopts.argc++] = words[i];
  kopts.argv[kopts.argc] = NULL;
  if (strcmp(kopts.rootfs, "virtiofs")) {
    kprintf("osv: --rootfs=%s is not supported (only virtiofs)\n", kopts.rootfs);
    return -1;
  }
  return 0;
}
