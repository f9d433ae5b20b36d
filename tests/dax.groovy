// The guest's DAX read path (plugin-osv-guest/kernel/dax.c) against FUSE_READ, on a generated 64 MiB host
// file: fsbench reads it sequentially in 4 KiB blocks through a 64 MiB window (32 chunks of 2 MiB: the file
// plus fsbench's own chunk do not fit, so the chunk manager must evict with REMOVEMAPPING), then with
// --nodax, then through a read-only mmap of the window. Every run's checksum (FNV-1a 64 over little-endian
// words, printed by fsbench) must equal the one computed here on the host; the DAX run must need at least
// 50x fewer virtio notifications per MiB than the FUSE_READ run. Counts are m.metrics().numbers() deltas
// over the whole run (boot included, which only makes the DAX ratio harder to reach). Then the DAX read and mmap
// again with the FUSE server in another process (scripts/virtiofsd over vhost-user, FS_MAP/FS_UNMAP).
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

    def run = { String dax, String kernelArgs, String app, String socket = null ->
        def m = machine {
            riscv; memory 256.MiB; pci
            if (socket) virtioFs tag: 'myfs', socket: socket, dax: dax
            else if (dax) virtioFs tag: 'myfs', dir: export.path, dax: dax
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
                   "${socket ? 'vhost-user ' : ''}${dax ? 'dax ' + dax : 'no window'} ${kernelArgs ?: ''} ${app.contains('--mmap') ? 'mmap' : 'read'}",
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

    // DAX across the process boundary (issue #17): the same reads with the FUSE server in scripts/virtiofsd,
    // which asks this process to map and unmap over the vhost-user backend-request channel (FS_MAP/FS_UNMAP);
    // the window, its checks and its counters stay here.
    def sockDir = Files.createTempDirectory('dax-vhost').toFile()
    def sock = new File(sockDir, 'vhost.sock').path
    def log = new File(sockDir, 'virtiofsd.log')
    def daemon = new ProcessBuilder('scripts/virtiofsd', "--socket-path=$sock", '--shared-dir', export.path, '-o', 'cache=never')
            .redirectErrorStream(true).redirectOutput(log).start()
    try {
        for (int i = 0; i < 400 && !new File(sock).exists(); i++) Thread.sleep(50)
        assert new File(sock).exists() : "scripts/virtiofsd did not start:\n${log.text}"
        def vdax = run('64M', '', '/fsbench /big -b 4k -m seq', sock)
        def vmmap = run('64M', '', '/fsbench /big -b 4k -m seq --mmap', sock)
        assert vdax.sum == want : 'DAX read over vhost-user: checksum differs from the host file'
        assert vmmap.sum == want : 'DAX mmap over vhost-user: checksum differs from the host file'
        assert vdax.maps > 0 && vdax.removes > 0 : "the backend mapped and evicted through this process's window: $vdax"
        double vratio = (fuse.notif / mib) / (vdax.notif / mib)
        printf('notifications per MiB over vhost-user: FUSE_READ / DAX = %.1fx%n', vratio)
        assert vratio >= 50 : "DAX over vhost-user needs only ${vratio}x fewer notifications per MiB (want >= 50x)"
        assert daemon.alive : "scripts/virtiofsd ended:\n${log.text}"
    } finally {
        daemon.destroy()
        daemon.waitFor()
        sockDir.deleteDir()
    }
    println 'dax: OK'
} finally {
    export.deleteDir()
}
