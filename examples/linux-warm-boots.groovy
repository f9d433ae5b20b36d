// Linux boots to power-off one after another in this JVM, each a new machine (as the CPU suite's `linux`
// workload warms its JVM): how boot time falls as the JVM warms up, and what a profile of a warm boot sees.
//   scripts/drydock examples/linux-warm-boots.groovy [BOOTS [DIR]]
// BOOTS: how many (default 4); DIR: a plugins/linux-guest/build.sh output directory (default build/linux-guest/out,
// or $LINUX_GUEST_BUILD/out). Per boot it prints the wall time, the instructions retired and the boot's interval on
// the JVM's monotonic clock (System.nanoTime, CLOCK_MONOTONIC on Linux: `perf record -k CLOCK_MONOTONIC` samples can be
// cut to one boot with it). With DRYDOCK_BOOTS_PAUSE=K the JVM waits 15 s after boot K (to take a perf map with
// `jcmd PID Compiler.perfmap` while nothing moves).
def root = new File(System.getProperty('drydock.home', '.')).canonicalFile
int n = args.length > 0 ? args[0] as int : 4
def out = args.length > 1 ? args[1] : new File(System.getenv('LINUX_GUEST_BUILD') ?: new File(root, 'build/linux-guest').path, 'out').path
assert new File(out, 'Image').file: "no kernel in $out: run plugins/linux-guest/build.sh"
def pause = System.getenv('DRYDOCK_BOOTS_PAUSE')
n.times { i ->
    def m = machine { riscv harts: 1; memory 256.MiB; linux mode: 'boot', image: "$out/Image", initrd: "$out/initramfs.cpio" }
    try {
        long t0 = System.nanoTime()
        m.start()
        int rc = m.waitForExit(900.s)
        long ns = System.nanoTime() - t0
        assert rc == 0 && m.console().output().contains('reached /init'): "boot $i exited $rc"
        println "boot $i: ${String.format('%.3f', ns / 1e9)} s, ${m.instructionsRetired()} instructions, " +
                "mono ${String.format('%.6f', t0 / 1e9)}-${String.format('%.6f', (t0 + ns) / 1e9)}, load ${new File('/proc/loadavg').text.split(' ')[0]}"
        if (pause != null && i == (pause as int)) { println "pause ${ProcessHandle.current().pid()}"; System.out.flush(); Thread.sleep(15000) }
    } finally { m.close() }
}
