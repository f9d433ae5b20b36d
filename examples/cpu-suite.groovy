// The CPU benchmark suite (issue #16, item 7), run by scripts/bench-cpu: the guest programs of
// plugins/cpu-riscv/guest (int = bench.c, mark, interp, mem, fp, sys; see suite.h) on QEMU 7.2
// (qemu-system-riscv64 -M virt -bios none -kernel X.elf) and on Drydock (scripts/run --kernel X.elf), both as
// whole processes, interleaved round by round in the same run. Per workload:
//   whole-process speed ratio = median QEMU wall time / median Drydock wall time (JVM start-up, translation
//                               and warm-up included)
//   steady-state speed ratio  = median QEMU ticks / median Drydock ticks of the timed rounds, which the guest
//                               measures itself with the CLINT's mtime (10 MHz of host time on both engines),
//                               in a second process per engine whose warm-up goes on for WARM_MS ms of mtime
//                               (suite.warmms, guest/suite.h; env BENCH_CPU_WARM_MS, default 4000): a JIT's
//                               steady state comes after a time, and at the whole-process runs' few warm-up
//                               rounds Drydock's timed rounds were still mostly warm-up
//   after-warm-up ratio       = the same for the timed rounds of the whole-process run, after its W rounds
// and the geometric means. Every whole-process run's checksum must equal QEMU's first one (else the script
// fails); the long runs' checksums are not comparable (their warm-up length depends on the engine's speed).
// The workload `linux` (named in WORKLOADS, or included when plugins/linux-guest/build.sh's cached kernel is
// there) is Linux 6.12 on OpenSBI booting to power-off (drydock.mode=boot): whole-process = scripts/run with
// the Image against qemu-system-riscv64 with the same files; steady state = the same boot in this already-warm
// JVM (the machine DSL, after SCALE warm-up boots there and as many more as fit in WARM_MS) against QEMU's
// whole process. Its "checksum" is the init's line "reached /init" followed by exit 0; Drydock's MIPS comes
// from the warm boot's retired count.
//   scripts/drydock examples/cpu-suite.groovy [RUNS [SCALE [WORKLOADS]]]
// RUNS: measured rounds (default 2); SCALE: multiplies each workload's warm-up and timed rounds (default 1;
// 0 = the tiny CI check: 1 warm-up and 2 timed rounds, only the checksums mean anything); WORKLOADS: a
// comma-separated subset. Files: build/bench-cpu/<time>/<workload>/ (the bench DSL's result.json, report.md,
// charts) and build/bench-cpu/<time>/suite.json + suite.md (the table below). Note the load: it is printed.
import groovy.json.JsonOutput
import io.drydock.kernel.metrics.MetricsRegistry

int nruns = args.length > 0 ? args[0] as int : 2
double scale = args.length > 1 ? args[1] as double : 1
def only = args.length > 2 ? args[2].split(',') as List : null
def root = new File(System.getProperty('drydock.home', '.')).canonicalFile
def guest = new File(root, 'plugins/cpu-riscv/guest')
def qemu = ['/usr/bin/qemu-system-riscv64', '/usr/local/bin/qemu-system-riscv64'].find { new File(it).canExecute() }
assert qemu: 'qemu-system-riscv64 is not installed (apt-get install qemu-system-misc)'

// warm-up and timed rounds at SCALE 1 (timed: 0.1-0.35 s of work on QEMU); the steady-state process warms for WARM_MS
def workloads = [
        [name: 'int', elf: 'bench', warm: 15, rounds: 60],
        [name: 'mark', elf: 'mark', warm: 500, rounds: 2000],
        [name: 'interp', elf: 'interp', warm: 25, rounds: 90],
        [name: 'mem', elf: 'mem', warm: 45, rounds: 180],
        [name: 'fp', elf: 'fp', warm: 70, rounds: 280],
        [name: 'sys', elf: 'sys', warm: 40, rounds: 150],
].findAll { (only == null || it.name in only) && new File(guest, "${it.elf}.elf").exists() }
// Linux: only when asked for or already built (building it takes minutes)
def linuxOut = new File(System.getenv('LINUX_GUEST_BUILD') ?: new File(root, 'build/linux-guest').path, 'out')
boolean wantLinux = only != null ? 'linux' in only : new File(linuxOut, 'Image').file && new File(linuxOut, 'initramfs.cpio').file

def stamp = java.time.LocalDateTime.now().format(java.time.format.DateTimeFormatter.ofPattern('yyyyMMdd-HHmmss'))
def outRoot = new File(root, "build/bench-cpu/$stamp")
def load = { new File('/proc/loadavg').text.trim() }

int warmMs = (System.getenv('BENCH_CPU_WARM_MS') ?: '4000') as int

/** Runs one engine's process; returns [checksum, steady ticks, instructions, warm rounds, [first half, second half ticks]]. */
def runGuest = { List<String> cmd, String name ->
    def p = new ProcessBuilder(cmd*.toString()).directory(root).redirectErrorStream(true)
            .redirectInput(ProcessBuilder.Redirect.from(new File('/dev/null'))).start()
    def out = p.inputStream.text.replace('\r\n', '\n')
    int rc = p.waitFor()
    def sum = (out =~ /(?m)^$name checksum ([0-9a-f]+)$/)
    def steady = (out =~ /(?m)^$name steady ticks (\d+) instructions (\d+)$/)
    def warmed = (out =~ /(?m)^$name warm rounds (\d+) ticks \d+$/)
    def halves = (out =~ /(?m)^$name halves ticks (\d+) (\d+)$/)
    assert rc == 0 && sum.find() && steady.find() && warmed.find() && halves.find(): "${cmd.join(' ')} exited $rc: ${out.take(600)}"
    [sum.group(1), steady.group(1) as long, steady.group(2) as long, warmed.group(1) as long, [halves.group(1) as long, halves.group(2) as long]]
}

def rows = []
def median = { List<Long> xs -> def s = xs.sort(false); s.size() % 2 ? s[s.size().intdiv(2)] : (s[s.size().intdiv(2) - 1] + s[s.size().intdiv(2)]) / 2 }
/** One workload's row of the table (and of suite.json), from the bench result and the steady-state samples. */
def addRow = { String name, checksum, long warm, long rounds, r, Map steady, List instructions, String title, String note,
               Map early = null, Map warmRounds = null, Map drift = null ->
    double qWall = r.variant('qemu').wall().median(), dWall = r.variant('drydock').wall().median()
    double qSteady = median(steady.qemu), dSteady = median(steady.drydock), n = median(instructions)
    def row = [workload: name, checksum: checksum, warm: warm, rounds: rounds,
               'qemu wall s': String.format('%.2f', qWall / 1e9), 'drydock wall s': String.format('%.2f', dWall / 1e9),
               'whole ratio': String.format('%.3f', qWall / dWall)]
    row += ['after-warm-up ratio': early ? String.format('%.3f', median(early.qemu) / median(early.drydock)) : '–']
    row += ['qemu steady s': String.format('%.3f', qSteady / 1e9), 'drydock steady s': String.format('%.3f', dSteady / 1e9),
            'steady ratio': String.format('%.3f', qSteady / dSteady),
            'drydock steady MIPS': String.format('%.1f', n / (dSteady / 1e9) / 1e6),
            'qemu steady MIPS': String.format('%.1f', n / (qSteady / 1e9) / 1e6)]
    // warm-up rounds each engine did in WARM_MS, and the timed rounds' second half over their first (Drydock):
    // well under 1 would mean still warming up
    row += ['warm rounds q/d': warmRounds ? "${median(warmRounds.qemu)}/${median(warmRounds.drydock)}".toString() : '–',
            'drydock half2/half1': drift ? String.format('%.2f', median(drift.drydock)) : '–']
    report(r, title, [row], note: note)
    rows << row + [wholeRatio: qWall / dWall, steadyRatio: qSteady / dSteady, result: new File(outRoot, "$name/result.json").path]
}

println "load before: ${load()}"
def checksums = [:]
workloads.each { w ->
    long warm = scale == 0 ? 1 : Math.max(1, Math.round(w.warm * scale))
    long rounds = scale == 0 ? 2 : Math.max(1, Math.round(w.rounds * scale))
    def elf = new File(guest, "${w.elf}.elf").path
    def append = "suite.warm=$warm suite.rounds=$rounds"
    boolean long_ = scale != 0 && warmMs > 0 // the tiny check has no steady-state process
    def cmd = { String engine, String app ->
        engine == 'qemu' ? [qemu, '-M', 'virt', '-bios', 'none', '-kernel', elf, '-append', app,
                            '-display', 'none', '-serial', 'stdio', '-monitor', 'none']
                         : ['scripts/run', '--kernel', elf, '--append', app]
    }
    def steady = [qemu: [], drydock: []], early = [qemu: [], drydock: []], warmRounds = [qemu: [], drydock: []]
    def drift = [qemu: [], drydock: []]
    def instructions = []
    def r = bench("cpu suite: ${w.name} ($append${long_ ? "; steady state after ${warmMs} ms of warm-up" : ''})") {
        warmup 0
        runs nruns
        outputDir new File(outRoot, w.name).path
        charts 'wall', 'guest.steady_ns'
        ['qemu', 'drydock'].each { engine ->
            variant(engine) {
                def reg = metricsFrom(new MetricsRegistry())
                def settled = null
                if (long_) { // before and outside measure: not in the wall time
                    def (lsum, lticks, ln, lwarm, halves) = runGuest(cmd(engine, "$append suite.warmms=$warmMs"), w.name)
                    settled = [lticks, ln]
                    warmRounds[engine] << lwarm
                    drift[engine] << (halves[0] ? halves[1] / halves[0] : 1.0d)
                }
                measure { // the whole process; the metrics count only when added inside
                    def (sum, eticks, en) = runGuest(cmd(engine, append), w.name)
                    if (checksums[w.name] == null) checksums[w.name] = sum
                    assert sum == checksums[w.name]: "${w.name}: $engine checksum $sum differs from ${checksums[w.name]}"
                    early[engine] << eticks * 100
                    def (ticks, n) = settled ?: [eticks, en]
                    reg.counter('guest.steady_ns', 'ns of the timed rounds by the guest\'s mtime').add(ticks * 100)
                    steady[engine] << ticks * 100
                    if (engine == 'drydock') {
                        reg.counter('guest.steady_instructions', 'instructions retired in the timed rounds (Drydock minstret)').add(n)
                        instructions << n
                    }
                }
            }
        }
    }
    addRow(w.name, checksums[w.name], warm, rounds, r, steady, instructions,
            long_ ? "steady state (the guest's own timing of its timed rounds after ${warmMs} ms of warm-up)" : 'the guest\'s own timing of its timed rounds',
            'speed ratios are QEMU time / Drydock time (> 1: Drydock faster); MIPS from Drydock\'s minstret (the same program on both)',
            long_ ? early : null, long_ ? warmRounds : null, long_ ? drift : null)
}
if (wantLinux) {
    def built = ['bash', 'plugins/linux-guest/build.sh'].execute(null, root)
    def dir = built.text.trim().readLines().last()
    assert built.waitFor() == 0: 'plugins/linux-guest/build.sh failed'
    def image = "$dir/Image", initrd = "$dir/initramfs.cpio", cmdline = 'console=ttyS0 earlycon=sbi drydock.mode=boot'
    def cmds = [qemu   : [qemu, '-M', 'virt', '-m', '256M', '-bios', '/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin',
                          '-kernel', image, '-initrd', initrd, '-append', cmdline, '-display', 'none', '-serial', 'stdio', '-monitor', 'none'],
                drydock: ['scripts/run', '--kernel', image, '--initrd', initrd, '--memory', '256M', '--append', cmdline]]
    def bootOk = { String engine, String out, int rc ->
        assert rc == 0 && out.contains('reached /init'): "linux on $engine exited $rc: ${out.take(600)}"
    }
    int warm = scale == 0 ? 0 : Math.max(1, Math.round(1 * scale) as int)
    def warmBoot = { -> // one boot to power-off in this JVM; returns [ns, instructions]
        def m = machine { riscv harts: 1; memory 256.MiB; linux mode: 'boot', image: image, initrd: initrd }
        try {
            long t0 = System.nanoTime()
            m.start()
            int rc = m.waitForExit(900.s)
            long ns = System.nanoTime() - t0
            bootOk('drydock (warm JVM)', m.console().output(), rc)
            [ns, m.instructionsRetired()]
        } finally { m.close() }
    }
    // warm-up boots: SCALE of them, and (as the other workloads' steady state) until WARM_MS have passed
    long warmStart = System.nanoTime()
    int booted = 0
    while (booted < warm || (scale != 0 && (System.nanoTime() - warmStart) / 1_000_000 < warmMs)) { warmBoot(); booted++ }
    warm = booted
    def steady = [qemu: [], drydock: []], instructions = []
    def r = bench("cpu suite: linux (boot to power-off; steady = $warm warm-up boots in this JVM)") {
        warmup 0
        runs nruns
        outputDir new File(outRoot, 'linux').path
        charts 'wall', 'guest.steady_ns'
        ['qemu', 'drydock'].each { engine ->
            variant(engine) {
                def reg = metricsFrom(new MetricsRegistry())
                def (wns, n) = engine == 'drydock' ? warmBoot() : [0L, 0L] // outside measure: not in the wall time
                measure { // the whole process only
                    def p = new ProcessBuilder(cmds[engine]*.toString()).directory(root).redirectErrorStream(true)
                            .redirectInput(ProcessBuilder.Redirect.from(new File('/dev/null'))).start()
                    long t0 = System.nanoTime()
                    def out = p.inputStream.text
                    int rc = p.waitFor()
                    long ns = System.nanoTime() - t0
                    bootOk(engine, out, rc)
                    long steadyNs = engine == 'drydock' ? wns : ns
                    if (engine == 'drydock') {
                        instructions << n
                        reg.counter('guest.steady_instructions', 'instructions of the warm-JVM boot (minstret)').add(n)
                    }
                    steady[engine] << steadyNs
                    reg.counter('guest.steady_ns', 'ns of the boot: QEMU\'s whole process, Drydock\'s in the warm JVM').add(steadyNs)
                }
            }
        }
    }
    addRow('linux', 'reached /init, exit 0', warm, 1, r, steady, instructions,
            'Linux boot to power-off (steady: Drydock in a warm JVM, QEMU whole process)',
            'speed ratios are QEMU time / Drydock time (> 1: Drydock faster); QEMU MIPS assumes the same instruction count')
}
def geo = { List<Double> xs -> Math.exp(xs.sum { Math.log(it) } / xs.size()) }
def table = rows.collect { it.findAll { k, v -> !(k in ['wholeRatio', 'steadyRatio', 'result', 'checksum', 'warm', 'rounds']) } }
def gWhole = geo(rows*.wholeRatio), gSteady = geo(rows*.steadyRatio)
def loadAfter = load()
def head = table[0].keySet() as List
def md = new StringBuilder("# CPU suite, ${java.time.Instant.now()}\n\n")
md << "`scripts/drydock examples/cpu-suite.groovy ${args.join(' ')}` — $nruns runs per engine, load at the end: $loadAfter\n\n"
md << '| ' << head.join(' | ') << ' |\n|' << head.collect { '---' }.join('|') << '|\n'
table.each { md << '| ' << it.values().join(' | ') << ' |\n' }
md << "\ngeometric mean: whole-process ${String.format('%.3f', gWhole)}, steady state ${String.format('%.3f', gSteady)}\n"
outRoot.mkdirs()
new File(outRoot, 'suite.md').text = md.toString()
new File(outRoot, 'suite.json').text = JsonOutput.prettyPrint(JsonOutput.toJson([
        name: 'cpu suite', command: "scripts/drydock examples/cpu-suite.groovy ${args.join(' ')}".trim(), runs: nruns, scale: scale,
        loadAfter: loadAfter, workloads: rows, geomean: [whole: gWhole, steady: gSteady]]))
println()
println md
println "files: $outRoot"
