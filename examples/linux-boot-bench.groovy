// Boot benchmark of the Linux guest (plugins/linux-guest): Linux 6.12 on Debian's OpenSBI fw_dynamic, from
// reset to our /init ("drydock-init: reached /init") and to power-off, on Drydock and on QEMU 7.2 in the
// same run (interleaved rounds). Wall time per run = reset to power-off; the time to /init is each
// variant's latency; Drydock's guest instructions are its cpu0.instructions (QEMU reports none).
//   scripts/drydock examples/linux-boot-bench.groovy [RUNS [WARMUP]]   (default 3 1; builds the kernel first if needed)
// Note `uptime` with every number: the machine is shared.
def runs = args ? args[0] as int : 3
def warm = args.size() > 1 ? args[1] as int : 1
def out = ['bash', 'plugins/linux-guest/build.sh'].execute().with { p -> p.waitFor(); p.text.trim().readLines().last() }
def image = "$out/Image", initrd = "$out/initramfs.cpio"
def cmdline = 'console=ttyS0 earlycon=sbi drydock.mode=boot'
def qemu = ['qemu-system-riscv64', '-M', 'virt', '-m', '256M', '-bios', '/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin',
            '-kernel', image, '-initrd', initrd, '-append', cmdline, '-display', 'none', '-serial', 'stdio', '-monitor', 'none']*.toString()
println "load before: ${new File('/proc/loadavg').text.trim()}"
def r = bench('Linux boot: reset to /init and to power-off') {
    warmup warm
    runs runs
    charts 'wall', 'cpu0.instructions'
    variant('drydock') {
        def m = machine { riscv harts: 1; memory 256.MiB; linux mode: 'boot', image: image, initrd: initrd }
        m.withCloseable {
            metricsFrom m
            measure {
                long t0 = System.nanoTime()
                m.start()
                m.console().waitFor('reached /init', 900.s)
                latency(System.nanoTime() - t0)
                assert m.waitForExit(900.s) == 0
            }
        }
    }
    variant('qemu') {
        measure {
            long t0 = System.nanoTime()
            def p = new ProcessBuilder(qemu).redirectErrorStream(true).start()
            p.outputStream.close()
            def reader = p.inputStream.newReader()
            String line
            while ((line = reader.readLine()) != null && !line.contains('reached /init')) { }
            latency(System.nanoTime() - t0)
            reader.text
            assert p.waitFor() == 0
        }
    }
}
println "load after: ${new File('/proc/loadavg').text.trim()}"
