// The guest's DAX read path (plugin-osv-guest/kernel/dax.c) against FUSE_READ, on a generated 64 MiB host
// file: fsbench reads it sequentially in 4 KiB blocks through a 64 MiB window (32 chunks of 2 MiB: the file
// plus fsbench's own chunk do not fit, so the chunk manager must evict with REMOVEMAPPING), then with
// --nodax, then through a read-only mmap of the window. Every run's checksum (FNV-1a 64 over little-endian
// words, printed by fsbench) must equal the one computed here on the host; the DAX run must need at least
// 50x fewer virtio notifications per MiB than the FUSE_READ run. Counts are m.metrics().numbers() deltas
// over the whole run (boot included, which only makes the DAX ratio harder to reach).
// Image: the osv-guest plugin's prebuilt kernel, or -Dosv.image=/path/osv-kernel.elf (OSV_IMAGE in the env).
import groovy.transform.CompileStatic
import java.nio.ByteBuffer
import java.nio.ByteOrder
import java.nio.file.Files

@CompileStatic
static String fnv1a64(byte[] data) {
    def lb = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer()
    long h = 0xcbf29ce484222325L
    while (lb.hasRemaining()) h = (h ^ lb.get()) * 0x100000001b3L
    return String.format('%016x', h)
}

def root = new File('plugin-osv-guest')
def image = System.getProperty('osv.image') ?: System.getenv('OSV_IMAGE')
def export = Files.createTempDirectory('dax-test').toFile()
try {
    // the export: fsbench (built app, else the committed one) and the data file
    def fsbench = ['build/bin/fsbench', 'prebuilt/fsbench'].collect { new File(root, it) }.find { it.file }
    assert fsbench : 'no fsbench binary in plugin-osv-guest/build/bin or prebuilt/'
    Files.copy(fsbench.toPath(), new File(export, 'fsbench').toPath())
    new File(export, 'fsbench').setExecutable(true)
    byte[] data = new byte[64 << 20]
    new Random(20260807).nextBytes(data)
    new File(export, 'big').bytes = data
    String want = fnv1a64(data)
    double mib = data.length / 1048576.0

    def run = { String dax, String kernelArgs, String app ->
        def m = machine {
            riscv; memory 256.MiB; pci
            if (dax) virtioFs tag: 'myfs', dir: export.path, dax: dax
            else virtioFs tag: 'myfs', dir: export.path
            if (image) osv cmdline: app, image: image, args: kernelArgs
            else osv cmdline: app, args: kernelArgs
        }
        try {
            def before = m.metrics().numbers()
            def run = m.run(600.s)
            def after = m.metrics().numbers()
            def out = m.console().output().replace('\r', '')
            assert run.exitCode == 0 : "fsbench: $run\n$out"
            def delta = { String k -> ((after[k] ?: 0) as long) - ((before[k] ?: 0) as long) }
            def line = out.readLines().find { it.contains('fnv1a64') }
            assert line : "no fsbench result:\n$out"
            def r = [sum  : (line =~ /fnv1a64 ([0-9a-f]{16})/)[0][1],
                     MBps : (line =~ /= +([0-9.]+) MB\/s/)[0][1] as double,
                     notif: delta('virtq.virtio-fs.1.notifications') + delta('virtq.virtio-fs.0.notifications'),
                     irqs : delta('virtq.virtio-fs.1.interrupts') + delta('virtq.virtio-fs.0.interrupts'),
                     fuse : delta('fuse.myfs.requests'),
                     maps : delta('dax.myfs.mapsTotal'), removes: delta('dax.myfs.removeRequests')]
            printf('%-28s %s  %7.2f MB/s  %7d notifications (%8.2f/MiB)  %6d FUSE requests  maps %d removes %d%n',
                   "${dax ? 'dax ' + dax : 'no window'} ${kernelArgs ?: ''} ${app.contains('--mmap') ? 'mmap' : 'read'}",
                   r.sum, r.MBps, r.notif, r.notif / mib, r.fuse, r.maps, r.removes)
            return r
        } finally { m.close() }
    }

    def dax = run('64M', '', '/fsbench /big -b 4k -m seq')
    def fuse = run('64M', '--nodax', '/fsbench /big -b 4k -m seq')
    def mmap = run('64M', '', '/fsbench /big -b 4k -m seq --mmap')
    println "host fnv1a64 $want"
    assert dax.sum == want : 'DAX read checksum differs from the host file'
    assert fuse.sum == want : 'FUSE_READ checksum differs from the host file'
    assert mmap.sum == want : 'DAX mmap checksum differs from the host file'
    assert fuse.maps == 0 && fuse.notif > 0
    assert dax.removes > 0 : 'a 64 MiB window and 33 chunks: the chunk manager must have evicted with REMOVEMAPPING'
    double ratio = (fuse.notif / mib) / (dax.notif / mib)
    printf('notifications per MiB: FUSE_READ / DAX = %.1fx%n', ratio)
    assert ratio >= 50 : "DAX needs only ${ratio}x fewer notifications per MiB (want >= 50x)"
    println 'dax: OK'
} finally {
    export.deleteDir()
}
