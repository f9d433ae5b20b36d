// Two machine variants, one workload: the unikernel's fsbench reads an 8 MiB file over virtio-fs with
// request workers on their own threads ('threads') or served inline at the guest's notification
// ('deterministic'). Prints the table; writes result.json, charts (PNG, SVG) and a report under build/bench/.
// Needs the root file system: scripts/setup (or scripts/build fs=virtiofs export=all image=cli).
new File('build/export/data/8M.bin').bytes = new byte[8 << 20]
def guest = { boolean inline -> machine { riscv; memory 256.MiB; deterministic inline; pci
    virtioFs tag: 'myfs', dir: 'build/export'; osv cmdline: '/fsbench /data/8M.bin -b 65536 -m seq' } }
bench('virtio-fs: worker threads vs inline') {
    warmup 1
    runs 5                                    // or: adaptive maxRuns: 30, targetCi: 0.02
    charts 'wall', 'machine.instructions', 'virtq.virtio-fs.1.notifications'
    variant('threads')       { guest(false).withCloseable { m -> metricsFrom m; measure { assert m.run(120.s).exitCode == 0 } } }
    variant('deterministic') { guest(true).withCloseable  { m -> metricsFrom m; measure { assert m.run(120.s).exitCode == 0 } } }
}
