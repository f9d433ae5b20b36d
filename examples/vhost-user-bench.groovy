// vhost-user benchmark (issue 17 item 6): the same guest workload on the four VMM × virtiofsd pairs —
// QEMU 7.2 or Drydock, with QEMU's C virtiofsd or Drydock's (scripts/virtiofsd) — plus Drydock's in-process
// device. fsbench in the OSv-like guest reads a 16 MiB host file sequentially with 4 KiB and 1 MiB blocks
// (pread through FUSE_READ), and writes 16 MiB with 1 MiB writes then fsyncs (fsbench --create). MB/s is
// what the guest measured with its clock; for 4 KiB reads, one FUSE request per block, so the per-request
// latency is 4096 B / (MB/s). Each run boots a fresh guest and a fresh virtiofsd (the runners
// plugin-osv-guest/scripts/run-qemu-osv and run-drydock-osv), so wall time includes boot, and our virtiofsd
// is a cold JVM each time: its first requests run interpreted, which dominates a 16 MiB run (a daemon kept
// across boots — it serves one frontend after another — reaches the C virtiofsd's 1 MiB read rate from the
// third boot on). Not measured: a metadata workload (fsbench has none).
//   scripts/drydock examples/vhost-user-bench.groovy [RUNS]      (default 2 measured runs per variant; root)
// The chart is guest.KBps (MB/s × 1000) per variant; the table "MB/s" gives the means.
import io.drydock.kernel.metrics.MetricsRegistry
import java.nio.file.Files

int nruns = args ? args[0] as int : 2
def root = new File('.').canonicalFile
def osv = new File(root, 'plugin-osv-guest')
def export = Files.createTempDirectory('vhost-bench').toFile()
def fsbench = ['build/bin/fsbench', 'prebuilt/fsbench'].collect { new File(osv, it) }.find { it.file }
Files.copy(fsbench.toPath(), new File(export, 'fsbench').toPath())
byte[] data = new byte[16 << 20]
new Random(20261203).nextBytes(data)
new File(export, 'big').bytes = data

def ours = new File(root, 'scripts/virtiofsd').path, c = '/usr/lib/qemu/virtiofsd'
def pairs = [  // name, runner, VIRTIOFSD (null: Drydock's in-process device)
    ['QEMU + C virtiofsd', 'run-qemu-osv', c],
    ['QEMU + our virtiofsd', 'run-qemu-osv', ours],
    ['Drydock + C virtiofsd', 'run-drydock-osv', c],
    ['Drydock + our virtiofsd', 'run-drydock-osv', ours],
    ['Drydock in-process', 'run-drydock-osv', null],
]
def loads = [
    ['read 4K', '/fsbench /big -b 4096 -m seq'],
    ['read 1M', '/fsbench /big -b 1048576 -m seq'],
    ['write 1M', '/fsbench --create /out 16'],
]
def records = [:].withDefault { [] }
def guest = { String runner, String virtiofsd, String app ->
    def pb = new ProcessBuilder(new File(osv, "scripts/$runner").path, "--virtio-fs-dir=$export.path", '--timeout', '300', '-e', app)
            .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new File('/dev/null')))
    if (virtiofsd) pb.environment().put('VIRTIOFSD', virtiofsd) else pb.environment().remove('VIRTIOFSD')
    def p = pb.start()
    def out = p.inputStream.text.replace('\r', '')
    assert p.waitFor() == 0 : "$runner VIRTIOFSD=$virtiofsd: $out"
    def line = out.readLines().find { it.contains(' MB/s') && (it.contains('fnv1a64') || it.startsWith('create')) }
    assert line : "no fsbench result in: $out"
    (line =~ /([0-9.]+) MB\/s/)[0][1] as double
}
def result
try {
    result = bench("vhost-user: 4 pairs + in-process (16 MiB)") {
        warmup 0
        runs nruns
        charts 'guest.KBps'
        pairs.each { pair ->
            def (pname, runner, virtiofsd) = pair
            loads.each { load ->
                def (lname, app) = load
                variant("$pname, $lname", group: lname) {
                    def reg = new MetricsRegistry()
                    def kbps = reg.counter('guest.KBps', 'MB/s reported by fsbench, x1000')
                    metricsFrom reg
                    measure {
                        double mbps = guest(runner, virtiofsd, app)
                        kbps.add(Math.round(mbps * 1000))
                        if (!warmup()) records["$pname|$lname"] << mbps
                    }
                }
            }
        }
    }
} finally {
    export.deleteDir()
}
def mean = { List l -> l ? l.sum() / l.size() : null }
result = report(result, "MB/s (means over $nruns runs; 4K read: µs per request = 4096 / MB/s)", pairs.collect { pair ->
    def row = [pair: pair[0]]
    loads.each { load -> row[load[0] + ' MB/s'] = mean(records["${pair[0]}|${load[0]}"]) }
    def r4 = row['read 4K MB/s']
    row['µs/request (4K)'] = r4 ? 4096 / r4 : null
    row
}, note: 'QEMU pairs run under TCG; the guest clock is the VMM\'s')
