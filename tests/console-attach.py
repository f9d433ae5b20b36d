#!/usr/bin/env python3
"""tests/console-attach.py ROOT: m.console().attach() at a real terminal (issue 14, item 1).

Starts scripts/drydock under a pseudo-terminal (40x160), boots the echo guest (plugins/cpu-riscv/guest/echo.elf:
it prints 'echo> ' and echoes every byte it reads), attaches, and checks what a person would see: the guest's
prompt printed before the attach shows, typed keys reach the guest (it echoes them), Ctrl-C goes to the guest
and not to the shell, Ctrl-] detaches back to the drydock> prompt at the start of a line, attach() returned
'detached: Ctrl-]', and the machine still runs. Exit 0 when all hold; every wait is bounded; the shell is
killed at the end whatever happened."""
import fcntl, os, pty, re, select, signal, struct, sys, termios, time

root = sys.argv[1] if len(sys.argv) > 1 else os.getcwd()
pid, fd = pty.fork()
if pid == 0:
    os.chdir(root)
    os.environ['TERM'] = 'xterm'
    os.execv(root + '/scripts/drydock', [root + '/scripts/drydock'])
fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack('HHHH', 40, 160, 0, 0))
buf = b''


def fail(msg):
    print('FAIL: console attach: ' + msg)
    os.kill(pid, signal.SIGKILL)
    sys.exit(1)


def expect(pattern, timeout=180):
    """Waits for pattern in the terminal's output; returns the output up to its end."""
    global buf
    end = time.time() + timeout
    while True:
        m = re.search(pattern, buf)
        if m:
            seen, buf = buf[:m.end()], buf[m.end():]
            return seen
        if time.time() > end:
            fail('no %r within %d s; the terminal shows: %r' % (pattern, timeout, buf[-600:]))
        if select.select([fd], [], [], 0.5)[0]:
            try:
                data = os.read(fd, 4096)
            except OSError:
                data = b''
            if not data:
                fail('the shell ended; the terminal shows: %r' % buf[-600:])
            buf += data


def type_(s):
    os.write(fd, s if isinstance(s, bytes) else s.encode())


expect(rb'drydock> ')
type_("m = machine { riscv; kernel 'plugins/cpu-riscv/guest/echo.elf' }; m.start(); m.console().waitFor('echo> ', 60.s); null\r")
expect(rb'drydock> ')
type_("r = m.console().attach()\r")
expect(rb'\[attached to the console; Ctrl-\] detaches\]')
expect(rb'echo> ', 30)           # printed before the attach: shown again
type_("hi there")
expect(rb'hi there', 30)         # the guest echoes what was typed
type_(b"\x03")
expect(rb'\x03', 30)             # Ctrl-C went to the guest (echoed), the shell did not take it
type_(b"\x1d")                   # Ctrl-]
seen = expect(rb'drydock> ', 30)
if not re.search(rb'\r\n[^\n]*detached: Ctrl-\]', seen):
    fail('after Ctrl-] the shell did not show attach()\'s result on a line of its own: %r' % seen)
type_("println 'state ' + m.state()\r")
expect(rb'state RUNNING', 30)
type_("m.close()\r")
expect(rb'drydock> ', 30)
type_(b"\x04")                   # Ctrl-D leaves the shell
end = time.time() + 30
while time.time() < end and os.waitpid(pid, os.WNOHANG) == (0, 0):
    try:
        os.read(fd, 4096)
    except OSError:
        pass
    time.sleep(0.1)
try:
    os.kill(pid, signal.SIGKILL)
except ProcessLookupError:
    pass
print('ok: attach() at a pseudo-terminal: the prompt shows, keys and Ctrl-C reach the guest, Ctrl-] detaches')
