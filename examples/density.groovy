// Density (issue 7 item 6): N OSv-like guests in this JVM, all from one export, each mapping the same
// 100 MiB host file with mmap and reading every byte (fsbench --mmap, checksum printed). With DAX the mapping
// is the window itself, backed by the host page cache; without DAX (--nodax) the guest kernel copies the file
// into its own RAM. All N machines stay open (guest RAM and windows alive) while the JVM's memory is read
// from /proc/self/status (VmRSS, RssAnon, RssFile) and /proc/self/smaps_rollup (Pss: a page mapped in
// several windows counts once in total, whereas RSS counts it once per mapping).
//   scripts/drydock examples/density.groovy [N,N,...] [NODAX_MAX_N]     (default 1,10,50 and 10)
import java.nio.file.Files

def counts = (args ? args[0] : '1,10,50').split(',')*.toInteger()
int nodaxMax = args.length > 1 ? args[1] as int : 10
def root = new File('plugin-osv-guest')
def image = System.getenv('OSV_IMAGE')
def export = Files.createTempDirectory('density').toFile()
def fsbench = ['build/bin/fsbench', 'prebuilt/fsbench'].collect { new File(root, it) }.find { it.file }
Files.copy(fsbench.toPath(), new File(export, 'fsbench').toPath())
byte[] data = new byte[100 << 20]
new Random(100).nextBytes(data)
new File(export, 'big').bytes = data
data = null

def kib = { String file, String key ->
    def l = new File(file).readLines().find { it.startsWith(key + ':') }
    l ? (l.split(/\s+/)[1] as long) : -1L
}
def mem = { [rss: kib('/proc/self/status', 'VmRSS'), anon: kib('/proc/self/status', 'RssAnon'),
             file: kib('/proc/self/status', 'RssFile'), pss: kib('/proc/self/smaps_rollup', 'Pss')] }
def results = []
try {
    [true, false].each { dax ->
        counts.findAll { dax || it <= nodaxMax }.each { n ->
            System.gc(); Thread.sleep(200)
            def base = mem()
            def ms = []
            def sums = [] as Set
            long t0 = System.nanoTime()
            try {
                n.times {
                    def m = machine {
                        riscv; memory 256.MiB; pci
                        if (dax) virtioFs tag: 'myfs', dir: export.path, dax: 256.MiB
                        else virtioFs tag: 'myfs', dir: export.path
                        if (image) osv cmdline: '/fsbench /big -b 1m -m seq --mmap', image: image, args: dax ? '' : '--nodax'
                        else osv cmdline: '/fsbench /big -b 1m -m seq --mmap', args: dax ? '' : '--nodax'
                    }
                    ms << m
                    assert m.run(600.s).exitCode == 0
                    def line = m.console().output().readLines().find { it.contains('fnv1a64') }
                    sums << (line =~ /fnv1a64 (\w+)/)[0][1]
                }
                def now = mem()
                def per = { String k -> (now[k] - base[k]) / 1024.0 / n }
                def r = [mode: dax ? 'dax' : 'nodax', guests: n, seconds: (System.nanoTime() - t0) / 1e9,
                         rssMiBPerGuest: per('rss'), anonMiBPerGuest: per('anon'), fileMiBPerGuest: per('file'),
                         pssMiBPerGuest: per('pss'), rssMiBTotal: now.rss / 1024.0, checksums: sums]
                results << r
                printf('%-6s N=%-3d %6.1f s  per guest: RSS %7.1f MiB (anon %7.1f, file %7.1f), PSS %7.1f MiB; JVM RSS %8.1f MiB; sums %s%n',
                       r.mode, n, r.seconds, r.rssMiBPerGuest, r.anonMiBPerGuest, r.fileMiBPerGuest, r.pssMiBPerGuest,
                       r.rssMiBTotal, sums)
                assert sums.size() == 1
            } finally {
                ms.each { it.close() }
            }
        }
    }
} finally {
    export.deleteDir()
}
def out = new File('build/bench/density.json')
out.parentFile.mkdirs()
out.text = groovy.json.JsonOutput.prettyPrint(groovy.json.JsonOutput.toJson(results))
println "JSON: $out"
