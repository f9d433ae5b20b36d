// sys_io.c — pipes (man 7 pipe: 64 KiB, writes up to PIPE_BUF = 4096 bytes atomic, EOF when the last
// writer closes, EPIPE + SIGPIPE when the last reader has), eventfd2 (man 2 eventfd: counter,
// EFD_SEMAPHORE), ppoll/pselect6 on every kind of file (man 2 poll), and the attribute calls
// fchmod(at), fchown(at), utimensat. Blocking calls park the thread (sched.c); O_NONBLOCK gives
// EAGAIN. Any change that can make a descriptor ready wakes every poller (one channel).
#include <stdlib.h>
#include "syscall.h"

#define PIPE_SIZE (64 * 1024)
#define PIPE_BUF 4096
#define EVENTFD_MAX 0xfffffffffffffffeULL
#define POLLIN 1
#define POLLPRI 2
#define POLLOUT 4
#define POLLERR 8
#define POLLHUP 16
#define POLLNVAL 32
#define POLLRDNORM 0x40
#define POLLWRNORM 0x100

struct pipe {
  u8 *buf;
  u64 rd, wr;  // byte counters; wr - rd bytes are buffered
  int readers, writers;
};
struct eventfd {
  u64 count;
  bool semaphore;
};

static int poll_chan;
void io_poll_wake(void) { wakeup(&poll_chan, 0x7fffffff); }
void signal_send(struct thread *t, int sig);

static long sys_pipe2(u64 ufds, u64 flags) {
  if (flags & ~(u64)(O_NONBLOCK | O_CLOEXEC)) return -EINVAL;
  struct pipe *p = calloc(1, sizeof(*p));
  struct file *r = file_alloc(), *w = file_alloc();
  if (!p || !r || !w || !(p->buf = page_alloc_nozero(PIPE_SIZE / PAGE_SIZE))) {
    free(p), free(r), free(w);
    return -ENFILE;
  }
  p->readers = p->writers = 1;
  r->kind = w->kind = FK_PIPE;
  r->obj = w->obj = p;
  r->flags = O_RDONLY | (int)(flags & O_NONBLOCK);
  w->flags = O_WRONLY | (int)(flags & O_NONBLOCK);
  w->pipe_writer = true;
  strcpy(r->path, "pipe:");
  strcpy(w->path, "pipe:");
  int fr = fd_install(r, 0, flags & O_CLOEXEC);
  int fw = fr < 0 ? fr : fd_install(w, 0, flags & O_CLOEXEC);
  i32 fds[2] = {fr, fw};
  if (fw < 0 || copy_to_user(ufds, fds, 8)) {
    if (fr >= 0) current->fds[fr] = NULL;
    if (fw >= 0) current->fds[fw] = NULL;
    file_put(r);
    file_put(w);
    return fw < 0 ? fw : -EFAULT;
  }
  return 0;
}

static long sys_eventfd2(u64 init, u64 flags) {
  if (flags & ~(u64)(1 | O_NONBLOCK | O_CLOEXEC)) return -EINVAL;
  struct eventfd *e = calloc(1, sizeof(*e));
  struct file *f = file_alloc();
  if (!e || !f) {
    free(e), free(f);
    return -ENFILE;
  }
  e->count = (u32)init;
  e->semaphore = flags & 1;
  f->kind = FK_EVENTFD;
  f->obj = e;
  f->flags = O_RDWR | (int)(flags & O_NONBLOCK);
  strcpy(f->path, "anon_inode:[eventfd]");
  int fd = fd_install(f, 0, flags & O_CLOEXEC);
  if (fd < 0) file_put(f);
  return fd;
}

void io_file_release(struct file *f) {
  if (f->kind == FK_EVENTFD) {
    free(f->obj);
    return;
  }
  struct pipe *p = f->obj;
  if (f->pipe_writer) p->writers--;
  else p->readers--;
  wakeup(p, 0x7fffffff);
  io_poll_wake();
  if (p->readers == 0 && p->writers == 0) {
    page_free(p->buf, PIPE_SIZE / PAGE_SIZE);
    free(p);
  }
}

// Copy between the pipe ring and user memory, up to n bytes; returns bytes moved or -EFAULT.
static long pipe_copy(struct pipe *p, u64 va, size_t n, bool to_pipe) {
  size_t done = 0;
  while (done < n) {
    u64 pos = (to_pipe ? p->wr : p->rd) % PIPE_SIZE;
    size_t k = MIN(n - done, PIPE_SIZE - pos);
    int r = to_pipe ? copy_from_user(p->buf + pos, va + done, k) : copy_to_user(va + done, p->buf + pos, k);
    if (r) return done ? (long)done : -EFAULT;
    if (to_pipe) p->wr += k;
    else p->rd += k;
    done += k;
  }
  return (long)done;
}

static long pipe_rw(struct file *f, u64 va, size_t len, bool write) {
  struct pipe *p = f->obj;
  bool nonblock = f->flags & O_NONBLOCK;
  if (write != f->pipe_writer) return -EBADF;
  if (len == 0) return 0;
  if (!write) {
    while (p->wr == p->rd) {
      if (p->writers == 0) return 0;  // end of file
      if (nonblock) return -EAGAIN;
      int r = thread_sleep(p, 0);
      if (r < 0) return r;
    }
    long n = pipe_copy(p, va, MIN(len, p->wr - p->rd), false);
    wakeup(p, 0x7fffffff);
    io_poll_wake();
    return n;
  }
  size_t done = 0;
  while (done < len) {
    if (p->readers == 0) {
      signal_send(curthread(), 13);  // SIGPIPE
      return done ? (long)done : -EPIPE;
    }
    size_t space = PIPE_SIZE - (p->wr - p->rd), want = len - done;
    if (space == 0 || (len <= PIPE_BUF && space < want)) {  // small writes are never split
      if (nonblock) return done ? (long)done : -EAGAIN;
      int r = thread_sleep(p, 0);
      if (r < 0) return done ? (long)done : r;
      continue;
    }
    long n = pipe_copy(p, va + done, MIN(want, space), true);
    if (n < 0) return done ? (long)done : n;
    done += (size_t)n;
    wakeup(p, 0x7fffffff);
    io_poll_wake();
  }
  return (long)done;
}

static long eventfd_rw(struct file *f, u64 va, size_t len, bool write) {
  struct eventfd *e = f->obj;
  bool nonblock = f->flags & O_NONBLOCK;
  if (len < 8) return -EINVAL;
  u64 v;
  if (!write) {
    while (e->count == 0) {
      if (nonblock) return -EAGAIN;
      int r = thread_sleep(e, 0);
      if (r < 0) return r;
    }
    v = e->semaphore ? 1 : e->count;
    if (copy_to_user(va, &v, 8)) return -EFAULT;
    e->count -= v;
  } else {
    if (copy_from_user(&v, va, 8)) return -EFAULT;
    if (v == ~0ULL) return -EINVAL;
    while (EVENTFD_MAX - e->count < v) {
      if (nonblock) return -EAGAIN;
      int r = thread_sleep(e, 0);
      if (r < 0) return r;
    }
    e->count += v;
  }
  wakeup(e, 0x7fffffff);
  io_poll_wake();
  return 8;
}

long io_file_rw(struct file *f, u64 va, size_t len, bool write) {
  return f->kind == FK_PIPE ? pipe_rw(f, va, len, write) : eventfd_rw(f, va, len, write);
}

static u32 poll_mask(struct file *f) {
  if (!f) return POLLNVAL;
  switch (f->kind) {
    case FK_CONSOLE: return POLLOUT | POLLWRNORM | (console_line_ready() ? POLLIN | POLLRDNORM : 0);
    case FK_PIPE: {
      struct pipe *p = f->obj;
      if (!f->pipe_writer) return (p->wr != p->rd ? POLLIN | POLLRDNORM : 0) | (p->writers == 0 ? POLLHUP : 0);
      if (p->readers == 0) return POLLERR;
      return PIPE_SIZE - (p->wr - p->rd) >= PIPE_BUF ? POLLOUT | POLLWRNORM : 0;
    }
    case FK_EVENTFD: {
      struct eventfd *e = f->obj;
      return (e->count ? POLLIN | POLLRDNORM : 0) | (e->count < EVENTFD_MAX ? POLLOUT | POLLWRNORM : 0);
    }
    default: return POLLIN | POLLRDNORM | POLLOUT | POLLWRNORM;  // files and devices never block
  }
}

// Wait until one of the descriptors is ready, the deadline (mtime ticks; 0 = none) passes, or a
// signal arrives. `ready` fills the result and returns the count; `timeout_zero` polls once.
struct pollset {
  int n;
  i32 fd[256];
  u32 events[256], revents[256];
};

static long poll_wait(struct pollset *ps, u64 deadline, bool timeout_zero, u64 usigmask) {
  struct thread *t = curthread();
  u64 saved = t->sigmask;
  if (usigmask) {
    u64 m;
    if (copy_from_user(&m, usigmask, 8)) return -EFAULT;
    t->sigmask = m & ~((1ULL << 8) | (1ULL << 18));  // never SIGKILL / SIGSTOP
  }
  long ready;
  for (;;) {
    ready = 0;
    for (int i = 0; i < ps->n; i++) {
      ps->revents[i] = ps->fd[i] < 0 ? 0 : poll_mask(fd_get(ps->fd[i])) & (ps->events[i] | POLLERR | POLLHUP | POLLNVAL);
      if (ps->revents[i]) ready++;
    }
    if (ready || timeout_zero) break;
    int r = thread_sleep(&poll_chan, deadline);
    if (r == -ETIMEDOUT) timeout_zero = true;  // one last look, then 0
    else if (r < 0) {
      ready = r;
      break;
    }
  }
  // the handler of a signal that interrupted us runs with the caller's mask (ppoll semantics)
  t->sigmask = saved;
  return ready;
}

static int timeout_of(u64 uts, u64 *deadline, bool *zero) {
  *deadline = 0;
  *zero = false;
  if (!uts) return 0;
  i64 ts[2];
  if (copy_from_user(ts, uts, 16)) return -EFAULT;
  if (ts[0] < 0 || ts[1] < 0 || ts[1] >= 1000000000) return -EINVAL;
  if (ts[0] == 0 && ts[1] == 0) {
    *zero = true;
    return 0;
  }
  u64 ns = (u64)MIN(ts[0], 100000000LL) * 1000000000ULL + (u64)ts[1];
  *deadline = timer_now() + (ns / 1000000000ULL) * timebase_hz + ((ns % 1000000000ULL) * timebase_hz + 999999999ULL) / 1000000000ULL;
  return 0;
}

static long sys_ppoll(u64 ufds, u64 nfds, u64 uts, u64 usig, u64 sigsize) {
  struct pollset *p = malloc(sizeof(*p));  // per call: other pollers sleep with theirs
  if (!p) return -ENOMEM;
  long r = 0;
  if (nfds > 256) {
    r = -EINVAL;
    goto out;
  }
  p->n = (int)nfds;
  for (int i = 0; i < p->n; i++) {
    u8 e[8];
    if (copy_from_user(e, ufds + 8 * (u64)i, 8)) {
      r = -EFAULT;
      goto out;
    }
    memcpy(&p->fd[i], e, 4);
    u16 ev;
    memcpy(&ev, e + 4, 2);
    p->events[i] = ev;
  }
  u64 deadline;
  bool zero;
  if ((r = timeout_of(uts, &deadline, &zero)) < 0) goto out;
  if (usig && sigsize != 8) {
    r = -EINVAL;
    goto out;
  }
  r = poll_wait(p, deadline, zero, usig);
  if (r >= 0)
    for (int i = 0; i < p->n; i++) {
      u16 rev = (u16)p->revents[i];
      if (copy_to_user(ufds + 8 * (u64)i + 6, &rev, 2)) {
        r = -EFAULT;
        break;
      }
    }
out:
  free(p);
  return r;
}

// pselect6(n, readfds, writefds, exceptfds, timeout, {sigmask*, size}): fd_sets as bit arrays.
static long sys_pselect6(int n, u64 urd, u64 uwr, u64 uex, u64 uts, u64 usig) {
  if (n < 0 || n > NFD) return -EINVAL;
  u64 sets[3] = {0, 0, 0}, uset[3] = {urd, uwr, uex};
  for (int k = 0; k < 3; k++)
    if (uset[k] && n && copy_from_user(&sets[k], uset[k], (size_t)(n + 7) / 8)) return -EFAULT;
  if (n < 64)
    for (int k = 0; k < 3; k++) sets[k] &= (1ULL << n) - 1;
  struct pollset *p = malloc(sizeof(*p));
  if (!p) return -ENOMEM;
  p->n = 0;
  for (int fd = 0; fd < n; fd++) {
    u32 ev = ((sets[0] >> fd) & 1 ? POLLIN : 0) | ((sets[1] >> fd) & 1 ? POLLOUT : 0) | ((sets[2] >> fd) & 1 ? POLLPRI : 0);
    if (!ev) continue;
    if (!fd_get(fd)) {
      free(p);
      return -EBADF;
    }
    p->fd[p->n] = fd;
    p->events[p->n++] = ev;
  }
  u64 deadline, sigp = 0;
  bool zero;
  long r = timeout_of(uts, &deadline, &zero);
  if (r == 0 && usig) {
    u64 sd[2];
    if (copy_from_user(sd, usig, 16)) r = -EFAULT;
    else if (sd[0] && sd[1] != 8) r = -EINVAL;
    else sigp = sd[0];
  }
  if (r == 0) r = poll_wait(p, deadline, zero, sigp);
  if (r >= 0) {
    u64 out[3] = {0, 0, 0};
    r = 0;
    for (int i = 0; i < p->n; i++) {
      u32 rv = p->revents[i];
      if ((p->events[i] & POLLIN) && (rv & (POLLIN | POLLHUP | POLLERR))) out[0] |= 1ULL << p->fd[i], r++;
      if ((p->events[i] & POLLOUT) && (rv & (POLLOUT | POLLERR))) out[1] |= 1ULL << p->fd[i], r++;
      if ((p->events[i] & POLLPRI) && (rv & POLLPRI)) out[2] |= 1ULL << p->fd[i], r++;
    }
    for (int k = 0; k < 3 && r >= 0; k++)
      if (uset[k] && n && copy_to_user(uset[k], &out[k], (size_t)(n + 7) / 8)) r = -EFAULT;
  }
  free(p);
  return r;
}

static long setattr_path(int dirfd, u64 upath, int flags, struct file *f, struct ksetattr *a) {
  struct vnode *vn;
  int r;
  if (f) {
    if (f->kind != FK_VNODE) return 0;  // pipes, console: nothing kept
    vn = f->vn;
    vn_ref(vn);
  } else {
    char abs[256];
    if ((r = path_at(dirfd, upath, abs, sizeof(abs))) < 0) return r;
    if ((r = vfs_lookup(abs, (flags & AT_SYMLINK_NOFOLLOW) ? 0 : LOOKUP_FOLLOW, &vn)) < 0) return r;
  }
  r = vn->ops->setattr ? vn->ops->setattr(vn, a) : -EROFS;
  vn_put(vn);
  return r;
}

static long sys_utimensat(int dirfd, u64 upath, u64 utimes, int flags) {
  struct ksetattr a = {0};
  if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) return -EINVAL;
  if (!utimes) {
    a.valid = ATTR_ATIME | ATTR_MTIME | ATTR_ATIME_NOW | ATTR_MTIME_NOW;
  } else {
    i64 ts[4];
    if (copy_from_user(ts, utimes, 32)) return -EFAULT;
    for (int i = 0; i < 2; i++) {
      i64 ns = ts[2 * i + 1];
      u32 bit = i ? ATTR_MTIME : ATTR_ATIME, now = i ? ATTR_MTIME_NOW : ATTR_ATIME_NOW;
      if (ns == (1L << 30) - 2) continue;  // UTIME_OMIT
      if (ns == (1L << 30) - 1) a.valid |= bit | now;  // UTIME_NOW
      else if (ns < 0 || ns >= 1000000000) return -EINVAL;
      else {
        a.valid |= bit;
        if (i) a.mtime = ts[2], a.mtime_ns = (u32)ns;
        else a.atime = ts[0], a.atime_ns = (u32)ns;
      }
    }
  }
  if (a.valid & (ATTR_ATIME_NOW | ATTR_MTIME_NOW)) {
    u64 now = timer_ns() + rtc_boot_ns();
    if (a.valid & ATTR_ATIME_NOW) a.atime = (i64)(now / 1000000000ULL), a.atime_ns = (u32)(now % 1000000000ULL);
    if (a.valid & ATTR_MTIME_NOW) a.mtime = (i64)(now / 1000000000ULL), a.mtime_ns = (u32)(now % 1000000000ULL);
  }
  if (!a.valid) return 0;
  if (!upath) {  // utimensat(fd, NULL, ...): the file itself (futimens)
    struct file *f = fd_get(dirfd);
    return f ? setattr_path(0, 0, 0, f, &a) : -EBADF;
  }
  char c = 0;
  if ((flags & AT_EMPTY_PATH) && copy_from_user(&c, upath, 1) == 0 && c == 0) {
    struct file *f = fd_get(dirfd);
    return f ? setattr_path(0, 0, 0, f, &a) : -EBADF;
  }
  return setattr_path(dirfd, upath, flags, NULL, &a);
}

long sys_io(long nr, u64 a0, u64 a1, u64 a2, u64 a3, u64 a4, u64 a5, bool *handled) {
  struct ksetattr a = {0};
  struct file *f;
  *handled = true;
  switch (nr) {
    case 59: return sys_pipe2(a0, a1);
    case 19: return sys_eventfd2(a0, a1);
    case 73: return sys_ppoll(a0, a1, a2, a3, a4);
    case 72: return sys_pselect6((int)a0, a1, a2, a3, a4, a5);
    case 88: return sys_utimensat((int)a0, a1, a2, (int)a3);
    case 52:  // fchmod(fd, mode)
      if (!(f = fd_get((int)a0))) return -EBADF;
      a.valid = ATTR_MODE, a.mode = (u32)a1 & 07777;
      return setattr_path(0, 0, 0, f, &a);
    case 53:  // fchmodat(dirfd, path, mode)
      a.valid = ATTR_MODE, a.mode = (u32)a2 & 07777;
      return setattr_path((int)a0, a1, 0, NULL, &a);
    case 55:  // fchown(fd, uid, gid)
    case 54:  // fchownat(dirfd, path, uid, gid, flags)
      {
        u32 uid = (u32)(nr == 55 ? a1 : a2), gid = (u32)(nr == 55 ? a2 : a3);
        if (uid != ~0u) a.valid |= ATTR_UID, a.uid = uid;
        if (gid != ~0u) a.valid |= ATTR_GID, a.gid = gid;
        if (nr == 55) {
          if (!(f = fd_get((int)a0))) return -EBADF;
          return a.valid ? setattr_path(0, 0, 0, f, &a) : 0;
        }
        if (a4 & ~(u64)(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) return -EINVAL;
        return a.valid ? setattr_path((int)a0, a1, (int)a4, NULL, &a) : 0;
      }
  }
  *handled = false;
  return -ENOSYS;
}
