// Start-up benchmark (issue #15): whole processes, from the command to its exit, interleaved round by round
// with QEMU in the same run, so a busy machine slows both alike. Two benches, each with QEMU as its baseline
// (the ratio column is the "Done when" ratio: ≤ 3× / ≤ 4× cold, ≤ 1× warm):
//   bare ELF:  qemu-system-riscv64 -M virt -bios none -kernel hello.elf  |  scripts/run --kernel hello.elf, cold and --warm
//   unikernel: QEMU + /usr/lib/qemu/virtiofsd (plugin-osv-guest/scripts/run-qemu-osv, as test-on-qemu.sh runs it)
//              |  scripts/run --virtio-fs-dir=build/export -e /hello, cold and --warm
// plus scripts/run --help and `echo 'println 6*7' | scripts/drydock`, cold. Tables, charts and reports under
// build/bench/. Needs scripts/setup (build/export, the AOT caches) and, for the QEMU rows, qemu-system-misc
// and qemu-system-common (virtiofsd needs root).
//   scripts/drydock examples/startup-bench.groovy [RUNS [OTHER]]   (default 7 measured runs per variant)
// OTHER: another built checkout (e.g. an older commit with its own scripts/setup done); its scripts/run runs
// cold beside this one's as "OTHER cold", in the same rounds.
int nruns = args ? args[0] as int : 7
def other = args.length > 1 ? new File(args[1]).canonicalFile : null
def root = new File(System.getProperty('drydock.home', '.')).canonicalFile
def elf = new File(root, 'plugins/cpu-riscv/guest/hello.elf').path
def export = new File(root, 'build/export').path
def qemu = ['/usr/bin/qemu-system-riscv64', '/usr/local/bin/qemu-system-riscv64'].find { new File(it).canExecute() }
def virtiofsd = new File('/usr/lib/qemu/virtiofsd').canExecute()

/** Runs a command with no input; its output is checked for `expect` and the exit code for 0. */
def run = { List<String> cmd, String expect, Map<String, String> env = [:] ->
    def pb = new ProcessBuilder(cmd*.toString()).directory(root).redirectInput(ProcessBuilder.Redirect.from(new File('/dev/null')))
            .redirectErrorStream(true)
    pb.environment().putAll(env)
    def p = pb.start()
    def out = p.inputStream.text
    int rc = p.waitFor()
    assert rc == 0 && out.contains(expect): "${cmd.join(' ')} exited $rc: ${out.take(400)}"
}
def warmEnv = [DRYDOCK_WARM_IDLE: '120']
def sh = { String line -> ['bash', '-c', line] }

println "load: ${new File('/proc/loadavg').text.trim()}"
bench('start-up: bare ELF (hello.elf), whole process') {
    warmup 1
    runs nruns
    if (qemu) variant('qemu-system-riscv64') {
        run([qemu, '-M', 'virt', '-bios', 'none', '-kernel', elf, '-display', 'none', '-serial', 'stdio', '-monitor', 'none'], 'hello from rv64')
    }
    variant('scripts/run cold') { run(['scripts/run', '--kernel', elf], 'hello from rv64') }
    if (other) variant("${other.name} cold") { run(["$other/scripts/run", '--kernel', elf], 'hello from rv64') }
    variant('scripts/run --warm') { run(['scripts/run', '--warm', '--kernel', elf], 'hello from rv64', warmEnv) }
}
bench('start-up: unikernel /hello over virtio-fs, whole process') {
    warmup 1
    runs nruns
    if (qemu && virtiofsd) variant('QEMU + virtiofsd') {
        run(['plugin-osv-guest/scripts/run-qemu-osv', "--virtio-fs-dir=$export", '-e', '/hello'], 'Hello from the OSv-like guest!')
    }
    variant('scripts/run cold') { run(['scripts/run', "--virtio-fs-dir=$export", '-e', '/hello'], 'Hello from the OSv-like guest!') }
    if (other) variant("${other.name} cold") { run(["$other/scripts/run", "--virtio-fs-dir=$export", '-e', '/hello'], 'Hello from the OSv-like guest!') }
    variant('scripts/run --warm') { run(['scripts/run', '--warm', "--virtio-fs-dir=$export", '-e', '/hello'], 'Hello from the OSv-like guest!', warmEnv) }
}
bench('start-up: the other commands, cold') {
    warmup 1
    runs Math.max(3, nruns.intdiv(2))
    variant('scripts/run --help') { run(['scripts/run', '--help'], 'Usage: run') }
    variant("echo 'println 6*7' | scripts/drydock") { run(sh("echo 'println 6*7' | scripts/drydock"), '42') }
    if (other) {
        variant("${other.name}: scripts/run --help") { run(["$other/scripts/run", '--help'], 'Usage: run') }
        variant("${other.name}: echo 'println 6*7' | scripts/drydock") { run(sh("echo 'println 6*7' | $other/scripts/drydock"), '42') }
    }
}
println "load: ${new File('/proc/loadavg').text.trim()}"
