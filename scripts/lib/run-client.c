/*
 * run-client — the client half of `scripts/run --warm`: relays this process's console to a Drydock run
 * server (shell/src/main/java/io/drydock/shell/RunServer.java, whose comment defines the frames) over a
 * Unix socket, and exits with the run's exit code. It starts in about a millisecond, which a JVM cannot;
 * scripts/run builds it with the host's cc into build/warm/run-client.
 *
 *   run-client SOCKET WAIT_MS STATUS_FILE ARGS...
 *
 * Connects to SOCKET, retrying for up to WAIT_MS; sends the working directory, ARGS and the DRYDOCK_*
 * environment; puts a terminal on standard input into raw mode as a cold scripts/run does (no line
 * buffering, no echo; signals stay on, so Ctrl-C ends the run with 130) and restores it at exit; then
 * relays standard input (and its end) to the server and the run's output to standard output and error.
 * Exit 75 with "noserver" or "cold" written to STATUS_FILE: no server listens, or the server asks for a
 * cold run; scripts/run then starts a server or runs cold.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static struct termios saved;
static int raw_terminal;

static void restore_terminal(void) {
    if (raw_terminal) tcsetattr(0, TCSANOW, &saved);
}

static void on_signal(int sig) {
    restore_terminal();
    _exit(128 + sig);
}

static int status(const char *file, const char *what) {
    int fd = open(file, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd >= 0) {
        if (write(fd, what, strlen(what)) < 0) { /* the script then sees no status and reports it */ }
        close(fd);
    }
    return 75;
}

static int write_all(int fd, const void *buf, size_t len) {
    const char *p = buf;
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        p += n;
        len -= (size_t) n;
    }
    return 0;
}

static int frame(int sock, char type, const void *data, size_t len) {
    unsigned char h[5] = {(unsigned char) type, (unsigned char) (len >> 24), (unsigned char) (len >> 16),
                          (unsigned char) (len >> 8), (unsigned char) len};
    if (write_all(sock, h, 5) < 0) return -1;
    return len ? write_all(sock, data, len) : 0;
}

static long now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000L + t.tv_nsec / 1000000L;
}

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: run-client SOCKET WAIT_MS STATUS_FILE ARGS...\n");
        return 2;
    }
    const char *path = argv[1], *status_file = argv[3];
    long deadline = now_ms() + atol(argv[2]);
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    if (strlen(path) >= sizeof addr.sun_path) {
        fprintf(stderr, "run: warm socket path too long: %s\n", path);
        return status(status_file, "cold");
    }
    strcpy(addr.sun_path, path);
    int sock;
    for (;;) {
        sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (sock < 0) return status(status_file, "cold");
        if (connect(sock, (struct sockaddr *) &addr, sizeof addr) == 0) break;
        close(sock);
        if (now_ms() >= deadline) return status(status_file, "noserver");
        usleep(10000);
    }
    signal(SIGPIPE, SIG_IGN);

    char cwd[4096];
    if (!getcwd(cwd, sizeof cwd)) return status(status_file, "cold");
    int bad = frame(sock, 'C', cwd, strlen(cwd));
    for (int i = 4; i < argc && !bad; i++) bad = frame(sock, 'A', argv[i], strlen(argv[i]));
    for (char **e = environ; *e && !bad; e++) {
        if (strncmp(*e, "DRYDOCK_", 8) == 0) bad = frame(sock, 'E', *e, strlen(*e));
    }
    if (bad || frame(sock, 'G', "", 0) < 0) return status(status_file, "noserver");

    if (isatty(0) && tcgetattr(0, &saved) == 0) {
        struct termios raw = saved;
        raw.c_lflag &= (tcflag_t) ~(ICANON | ECHO);
        raw.c_cc[VMIN] = 1;
        raw.c_cc[VTIME] = 0;
        if (tcsetattr(0, TCSANOW, &raw) == 0) raw_terminal = 1;
        atexit(restore_terminal);
    }
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    signal(SIGHUP, on_signal);

    static unsigned char in[65536], buf[1 << 16];
    size_t have = 0;
    int stdin_open = 1;
    for (;;) {
        struct pollfd fds[2] = {{.fd = sock, .events = POLLIN}, {.fd = 0, .events = POLLIN}};
        if (poll(fds, stdin_open ? 2 : 1, -1) < 0) {
            if (errno == EINTR) continue;
            break;
        }
        if (stdin_open && (fds[1].revents & (POLLIN | POLLHUP | POLLERR))) {
            ssize_t n = read(0, in, sizeof in);
            if (n < 0 && errno == EINTR) continue;
            /* A failed send means the run already ended: stop reading input, still read its last frames. */
            if (n > 0) {
                if (frame(sock, 'I', in, (size_t) n) < 0) stdin_open = 0;
            } else {
                stdin_open = 0;
                frame(sock, 'Z', "", 0);
            }
        }
        if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
            ssize_t n = read(sock, buf + have, sizeof buf - have);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) break;
            have += (size_t) n;
            size_t off = 0;
            while (have - off >= 5) {
                unsigned char *h = buf + off;
                uint32_t len = (uint32_t) h[1] << 24 | (uint32_t) h[2] << 16 | (uint32_t) h[3] << 8 | h[4];
                if (len > sizeof buf - 5) {
                    fprintf(stderr, "run: bad frame from the warm run server\n");
                    return 1;
                }
                if (have - off < 5 + len) break;
                unsigned char *d = h + 5;
                switch (h[0]) {
                    case 'O': write_all(1, d, len); break; /* output to a closed pipe is dropped, as the JVM does */
                    case 'R': write_all(2, d, len); break;
                    case 'X':
                        if (len == 4) return (int) ((uint32_t) d[0] << 24 | (uint32_t) d[1] << 16 | (uint32_t) d[2] << 8 | d[3]);
                        return 1;
                    case 'K': return status(status_file, "cold");
                    default: break;
                }
                off += 5 + len;
            }
            memmove(buf, buf + off, have - off);
            have -= off;
        }
    }
    fprintf(stderr, "run: the warm run server went away before the run ended (its log: build/warm/server.log)\n");
    return 1;
}
