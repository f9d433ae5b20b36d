// vhost-user benchmark (issue 17 item 6): the same guest workload on the four VMM × virtiofsd pairs —
// QEMU 7.2 or Drydock, with QEMU's C virtiofsd or Drydock's (scripts/virtiofsd) — plus Drydock's in-process
// device. One guest boot per pair and round runs, in the OSv-like unikernel's cli (plugin-osv-guest):
//   read 4K   fsbench /big -b 4096 -m seq --lat   16 MiB sequential preads, one FUSE_READ each; per-request
//                                                 latency p50/p99 on the guest clock (every request, sorted)
//   read 1M   fsbench /big -b 1048576 -m seq      (FUSE_READs of max_pages)
//   write 4K  fsbench --create /w4k 16 4096       16 MiB in 4 KiB writes, then fsync
//   write 1M  fsbench --create /w1m 16            16 MiB in 1 MiB writes, then fsync
//   meta      fsbench --meta /meta 200            create+write, stat, list, unlink 200 small files
// MB/s, ops/s and FUSE requests/s are what the guest measured with its own clock (boot is not counted).
// Our virtiofsd is ONE daemon kept across all boots (it serves one frontend after another), so after the
// warm-up round its JIT is warm; the warm-up round's numbers are reported separately as "cold". The C
// virtiofsd is started per boot (it has no warm-up). "daemon CPU µs/req" (QEMU and Drydock pairs): the
// virtiofsd's user+system CPU over the boot (/proc/PID/stat, of the persistent JVM — JIT and GC threads
// included — or of the C daemon and its sandbox child, sampled every 50 ms) divided by the workload's FUSE
// requests: a load-independent cost per request.
//   scripts/drydock examples/vhost-user-bench.groovy [ROUNDS]   (default 3 measured rounds + 1 warm-up; root)
// Rounds are interleaved (every pair once per round, order rotating); tables give medians over rounds.
import io.drydock.kernel.metrics.MetricsRegistry
import java.nio.file.Files

int nrounds = args ? args[0] as int : 3
def root = new File('.').canonicalFile
def osv = new File(root, 'plugin-osv-guest')
def work = Files.createTempDirectory('vhost-bench').toFile()
def export = new File(work, 'export')
export.mkdirs()
['fsbench', 'cli'].each { app ->
    def f = ["build/bin/$app", "prebuilt/$app"].collect { new File(osv, it) }.find { it.file }
    Files.copy(f.toPath(), new File(export, app).toPath())
}
byte[] data = new byte[16 << 20]
new Random(20261203).nextBytes(data)
new File(export, 'big').bytes = data

// VIRTIOFSD shims for the runners (plugin-osv-guest/scripts/run-{qemu,drydock}-osv start $VIRTIOFSD with
// --socket-path=PATH -o source=DIR -o cache=none and stop it after the boot)
def attach = new File(work, 'attach-virtiofsd')   // points PATH at the persistent daemon's socket
attach.text = '''#!/usr/bin/env bash
for a in "$@"; do case "$a" in --socket-path=*) sock=${a#--socket-path=} ;; esac; done
ln -s "$VPERF_SOCKET" "$sock"
exec sleep 900
'''
def timedC = new File(work, 'timed-c-virtiofsd')  // the C virtiofsd, its CPU ticks written at its end
timedC.text = '''#!/usr/bin/env bash
/usr/lib/qemu/virtiofsd "$@" &
p=$!
last=0
trap 'kill -TERM $p 2>/dev/null; echo $last > "$VPERF_CPU_FILE"; exit 0' TERM INT
while kill -0 $p 2>/dev/null; do
  t=0
  for q in $p $(cat /proc/$p/task/*/children 2>/dev/null); do
    s=$(cat /proc/$q/stat 2>/dev/null) || continue
    s=${s##*) }; set -- $s; t=$((t + ${12} + ${13}))
  done
  (( t > last )) && last=$t
  sleep 0.05
done
echo $last > "$VPERF_CPU_FILE"
'''
[attach, timedC].each { it.setExecutable(true) }
def cpuFile = new File(work, 'c.cpu')

// our virtiofsd, started once
def oursSock = new File(work, 'ours.sock')
def oursLog = new File(work, 'ours.log')
def ours = new ProcessBuilder(new File(root, 'scripts/virtiofsd').path, "--socket-path=$oursSock.path",
        '--shared-dir', export.path, '-o', 'cache=none').redirectErrorStream(true).redirectOutput(oursLog).start()
for (int i = 0; i < 400 && !oursSock.exists(); i++) Thread.sleep(50)
assert oursSock.exists() : "our virtiofsd did not start: ${oursLog.text}"
def ticks = { long pid -> // utime + stime of a process, clock ticks (1/100 s)
    def f = new File("/proc/$pid/stat").text
    def s = f.substring(f.lastIndexOf(')') + 2).split(' ')
    (s[11] as long) + (s[12] as long)
}

def pairs = [  // name, runner, daemon: 'c', 'ours' or null (Drydock's in-process device)
    ['QEMU + C virtiofsd', 'run-qemu-osv', 'c'],
    ['QEMU + our virtiofsd', 'run-qemu-osv', 'ours'],
    ['Drydock + C virtiofsd', 'run-drydock-osv', 'c'],
    ['Drydock + our virtiofsd', 'run-drydock-osv', 'ours'],
    ['Drydock in-process', 'run-drydock-osv', null],
]
def session = '''/fsbench /big -b 4096 -m seq --lat
/fsbench /big -b 1048576 -m seq
/fsbench --create /w4k 16 4096
/fsbench --create /w1m 16
/fsbench --meta /meta 200
exit
'''
def loads = ['read 4K', 'read 1M', 'write 4K', 'write 1M', 'meta']
// One boot: the cli session above; returns [load: [MBps:, reqps:, reqs:]] + lat + daemon CPU ticks
def boot = { String runner, String daemon ->
    def pb = new ProcessBuilder(new File(osv, "scripts/$runner").path, "--virtio-fs-dir=$export.path", '--timeout', '600')
            .redirectErrorStream(true)
    def env = pb.environment()
    env.remove('VIRTIOFSD')
    if (daemon == 'c') { env.VIRTIOFSD = timedC.path; env.VPERF_CPU_FILE = cpuFile.path; cpuFile.delete() }
    if (daemon == 'ours') { env.VIRTIOFSD = attach.path; env.VPERF_SOCKET = oursSock.path }
    long t0 = daemon == 'ours' ? ticks(ours.pid()) : 0
    def p = pb.start()
    p.outputStream.withWriter { it << session }
    def out = p.inputStream.text.replace('\r', '')
    assert p.waitFor() == 0 : "$runner daemon=$daemon: $out"
    def r = [:]
    def num = { String s -> s as double }
    out.readLines().each { line ->
        def m
        if ((m = line =~ /^seq\s+pread bs=(\d+)\s+([0-9.]+) MiB in\s+([0-9.]+) s =\s+([0-9.]+) MB\/s,\s+(\d+) FUSE/)) {
            def load = m[0][1] == '4096' ? 'read 4K' : 'read 1M'
            r[load] = [MBps: num(m[0][4]), reqs: m[0][5] as long, reqps: (m[0][5] as long) / num(m[0][3])]
        } else if ((m = line =~ /^lat\s+seq bs=4096\s+p50 ([0-9.]+) us, p90 ([0-9.]+) us, p99 ([0-9.]+) us/)) {
            r.lat = [p50: num(m[0][1]), p90: num(m[0][2]), p99: num(m[0][3])]
        } else if ((m = line =~ /^create \/w(4k|1m): \d+ MiB in ([0-9.]+) s, ([0-9.]+) MB\/s, bs=\d+, (\d+) FUSE/)) {
            r[m[0][1] == '4k' ? 'write 4K' : 'write 1M'] = [MBps: num(m[0][3]), reqs: m[0][4] as long, reqps: (m[0][4] as long) / num(m[0][2])]
        } else if ((m = line =~ /^meta total\s+(\d+) ops in\s+([0-9.]+) s =\s+([0-9.]+) ops\/s,\s+(\d+) FUSE/)) {
            r.meta = [opsps: num(m[0][3]), reqs: m[0][4] as long, reqps: (m[0][4] as long) / num(m[0][2])]
        }
    }
    loads.each { assert r[it] : "no $it result from $runner daemon=$daemon in: $out" }
    assert r.lat : "no latency line in: $out"
    Thread.sleep(100) // the C shim writes its ticks when the runner stops it
    r.cpuTicks = daemon == 'ours' ? ticks(ours.pid()) - t0 : daemon == 'c' && cpuFile.exists() ? cpuFile.text.trim() as long : null
    r.workReqs = loads.sum { r[it].reqs }
    r
}

def warm = [:].withDefault { [] }, cold = [:].withDefault { [] }
def result
try {
    result = bench("vhost-user: 4 pairs + in-process") {
        warmup 1
        runs nrounds
        charts 'read4K.kBps', 'read1M.kBps', 'write4K.kBps', 'write1M.kBps', 'meta.ops', 'read4K.p50ns'
        pairs.each { pair ->
            def (pname, runner, daemon) = pair
            variant(pname, group: runner == 'run-qemu-osv' ? 'QEMU' : 'Drydock') {
                def reg = new MetricsRegistry()
                def c = [
                    'read4K.kBps': reg.counter('read4K.kBps', 'read 4K MB/s x1000'),
                    'read1M.kBps': reg.counter('read1M.kBps', 'read 1M MB/s x1000'),
                    'write4K.kBps': reg.counter('write4K.kBps', 'write 4K MB/s x1000'),
                    'write1M.kBps': reg.counter('write1M.kBps', 'write 1M MB/s x1000'),
                    'meta.ops': reg.counter('meta.ops', 'metadata ops/s'),
                    'read4K.p50ns': reg.counter('read4K.p50ns', 'read 4K per-request latency p50, ns (guest clock)'),
                    'read4K.p99ns': reg.counter('read4K.p99ns', 'read 4K per-request latency p99, ns (guest clock)'),
                ]
                metricsFrom reg
                measure {
                    def r = boot(runner, daemon)
                    c['read4K.kBps'].add(Math.round(r['read 4K'].MBps * 1000))
                    c['read1M.kBps'].add(Math.round(r['read 1M'].MBps * 1000))
                    c['write4K.kBps'].add(Math.round(r['write 4K'].MBps * 1000))
                    c['write1M.kBps'].add(Math.round(r['write 1M'].MBps * 1000))
                    c['meta.ops'].add(Math.round(r.meta.opsps))
                    c['read4K.p50ns'].add(Math.round(r.lat.p50 * 1000))
                    c['read4K.p99ns'].add(Math.round(r.lat.p99 * 1000))
                    (warmup() ? cold : warm)[pname] << r
                }
            }
        }
    }
} finally {
    ours.destroy()
    ours.waitFor()
    work.deleteDir()
}
def median = { List l -> if (!l) return null; def s = l.sort(false); s.size() % 2 ? s[s.size() >> 1] : (s[(s.size() >> 1) - 1] + s[s.size() >> 1]) / 2 }
def row = { String pname, List rs ->
    def m = [pair: pname]
    loads.each { l ->
        m[l == 'meta' ? 'meta ops/s' : "$l MB/s"] = median(rs.collect { it[l].(l == 'meta' ? 'opsps' : 'MBps') })
        m["$l req/s"] = median(rs.collect { it[l].reqps })
    }
    m['4K p50 µs'] = median(rs.collect { it.lat.p50 })
    m['4K p99 µs'] = median(rs.collect { it.lat.p99 })
    def cpu = rs.findAll { it.cpuTicks != null }.collect { it.cpuTicks * 10000.0 / it.workReqs }
    m['daemon CPU µs/req'] = median(cpu)
    m
}
def load = new File('/proc/loadavg').text.split(' ')[0..2].join(' ')
result = report(result, "medians over $nrounds rounds (our virtiofsd warm: one daemon across boots)",
        pairs.collect { row(it[0], warm[it[0]]) },
        note: "QEMU runs TCG; MB/s and latency on the guest clock. Load (1/5/15 min) at the end: $load")
result = report(result, 'warm-up round (our virtiofsd cold: its first boot, a fresh JVM)',
        pairs.collect { row(it[0], cold[it[0]]) }, note: 'one run each')
def q = { String n -> warm[n] }
result = report(result, 'QEMU + our virtiofsd / QEMU + C virtiofsd, per round (> 1: ours faster; latency and CPU: < 1)',
        (0..<nrounds).collect { i ->
            def o = q('QEMU + our virtiofsd')[i], cv = q('QEMU + C virtiofsd')[i]
            def m = [round: i + 1]
            loads.each { l -> m[l] = l == 'meta' ? o.meta.opsps / cv.meta.opsps : o[l].MBps / cv[l].MBps }
            m['4K p50'] = o.lat.p50 / cv.lat.p50
            m['CPU/req'] = o.cpuTicks != null && cv.cpuTicks ? (o.cpuTicks / o.workReqs) / (cv.cpuTicks / cv.workReqs) : null
            m
        })
result
