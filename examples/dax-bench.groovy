// DAX benchmark (issue 7 item 5): fsbench in the OSv-like guest reads a generated 64 MiB host file
// sequentially and randomly with 4 KiB and 1 MiB blocks, by pread() through FUSE_READ (--nodax) and through
// the DAX window (1 GiB, the whole file fits), and from a read-only mmap of the window (zero copy); plus the
// boot of /hello with and without DAX. Per mode: MB/s as the guest measured it (its clock; includes the
// checksum fsbench computes over every byte), guest instructions, virtio notifications (the MMIO exits that
// kick the device), interrupts and FUSE requests per MiB — deltas of m.metrics() over the whole run, boot
// included. The bench's tables (wall time, all metrics) and a per-MiB table, printed and in the bench's
// report.html / report.md / result.json under build/bench/ (the per-MiB table is the report's "per MiB" table).
//   scripts/drydock examples/dax-bench.groovy [RUNS]      (default 2 measured runs per mode)
// Image: the osv-guest plugin's prebuilt kernel, or OSV_IMAGE=/path/osv-kernel.elf.
import io.drydock.kernel.metrics.MetricsRegistry
import java.nio.file.Files

int nruns = args ? args[0] as int : 2
def root = new File('plugin-osv-guest')
def image = System.getenv('OSV_IMAGE')
def export = Files.createTempDirectory('dax-bench').toFile()
def fsbench = ['build/bin/fsbench', 'prebuilt/fsbench'].collect { new File(root, it) }.find { it.file }
['fsbench', 'hello'].each { app ->
    def f = new File(fsbench.parentFile, app)
    Files.copy(f.toPath(), new File(export, app).toPath())
}
byte[] data = new byte[64 << 20]
new Random(20260807).nextBytes(data)
new File(export, 'big').bytes = data
double mib = data.length / 1048576.0

def modes = []  // [name, dax?, app]
['seq', 'rand'].each { pat -> ['4K', '1M'].each { bs ->
    modes << ["fuse $pat $bs", false, "/fsbench /big -b ${bs.toLowerCase()} -m $pat"]
    modes << ["dax $pat $bs", true, "/fsbench /big -b ${bs.toLowerCase()} -m $pat"]
} }
['seq', 'rand'].each { pat -> ['4K', '1M'].each { bs ->
    modes << ["dax mmap $pat $bs", true, "/fsbench /big -b ${bs.toLowerCase()} -m $pat --mmap"]
} }
modes << ['boot hello fuse', false, '/hello']
modes << ['boot hello dax', true, '/hello']

def records = [:].withDefault { [] }
def guest = { boolean dax, String app ->
    machine {
        riscv; memory 256.MiB; pci
        if (dax) virtioFs tag: 'myfs', dir: export.path, dax: 1.GiB
        else virtioFs tag: 'myfs', dir: export.path
        if (image) osv cmdline: app, image: image, args: dax ? '' : '--nodax'
        else osv cmdline: app, args: dax ? '' : '--nodax'
    }
}
def result
try {
    result = bench('dax vs FUSE_READ (64 MiB)') {
        warmup 0
        runs nruns
        charts 'wall', 'machine.instructions'
        modes.each { mode ->
            def (name, dax, app) = mode
            variant(name, group: name.startsWith('boot') ? 'boot /hello' : name.split(' ')[0..<(name.contains('mmap') ? 2 : 1)].join(' ')) {
                guest(dax, app).withCloseable { m ->
                    def reg = new MetricsRegistry()
                    def kbps = reg.counter('guest.KBps', 'MB/s reported by fsbench, x1000')
                    metricsFrom m
                    metricsFrom reg
                    def b = m.metrics().numbers()
                    measure {
                        assert m.run(600.s).exitCode == 0
                        def out = m.console().output().replace('\r', '')
                        def line = out.readLines().find { it.contains('fnv1a64') }
                        double mbps = line ? (line =~ /= +([0-9.]+) MB\/s/)[0][1] as double : 0
                        kbps.add(Math.round(mbps * 1000))
                        def a = m.metrics().numbers()
                        def d = { String k -> ((a[k] ?: 0) as long) - ((b[k] ?: 0) as long) }
                        if (!warmup()) records[name] << [MBps: mbps, sum: line ? (line =~ /fnv1a64 (\w+)/)[0][1] : null,
                            instructions: d('machine.instructions'),
                            notifications: d('virtq.virtio-fs.1.notifications') + d('virtq.virtio-fs.0.notifications'),
                            interrupts: d('virtq.virtio-fs.1.interrupts') + d('virtq.virtio-fs.0.interrupts'),
                            fuse: d('fuse.myfs.requests'), setups: d('dax.myfs.mapsTotal'), removes: d('dax.myfs.removeRequests')]
                    }
                }
            }
        }
    }
} finally {
    export.deleteDir()
}

// per-MiB table (means over the runs); boot rows are per boot, not per MiB
def mean = { List l, String k -> l.sum { it[k] } / l.size() }
def rows = modes.collect { mode ->
    def name = mode[0]; def l = records[name]; boolean boot = name.startsWith('boot')
    double per = boot ? 1 : mib
    [mode: name, MBps: boot ? null : mean(l, 'MBps'), instructions: mean(l, 'instructions'),
     notificationsPerMiB: mean(l, 'notifications') / per, interruptsPerMiB: mean(l, 'interrupts') / per,
     fuseRequestsPerMiB: mean(l, 'fuse') / per, setupmappings: mean(l, 'setups'), removemappings: mean(l, 'removes'),
     fnv1a64: l*.sum.findAll { it }.unique().join(',') ?: null, runs: l.size()]
}
def seq = rows.find { it.mode == 'fuse seq 4K' }, dseq = rows.find { it.mode == 'dax seq 4K' }
def note = String.format('boot rows: per boot, not per MiB. seq 4K: FUSE_READ/DAX notifications per MiB = %.0fx, DAX/FUSE_READ MB/s = %.2f',
        seq.notificationsPerMiB / dseq.notificationsPerMiB, dseq.MBps / seq.MBps)
result = report(result, "per MiB (means over $nruns runs)", rows.collect { r ->
    [mode: r.mode, 'MB/s': r.MBps, instructions: (long) r.instructions, 'notif/MiB': r.notificationsPerMiB,
     'irq/MiB': r.interruptsPerMiB, 'FUSE/MiB': r.fuseRequestsPerMiB, SETUPs: (long) r.setupmappings,
     REMOVEs: (long) r.removemappings, fnv1a64: r.fnv1a64, runs: r.runs]
}, note: note)
