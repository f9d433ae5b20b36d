// Reads a 64 MiB file in the guest over virtio-fs, without and with DAX, and compares the two machines:
// prints the table and writes result.json, wall and instruction charts (PNG, SVG) and a report to build/bench/.
// Needs the riscv, virtio-fs, dax and osv-guest plugins; file: build/export/64M.bin (e.g. head -c 64M /dev/urandom).
def guest = { Map fs ->
    machine { riscv harts: 1; memory 256.MiB; virtioFs([tag: 'data', dir: 'build/export'] + fs); osv cmdline: '/tools/cat.so /data/64M.bin' }
}
bench('dax vs read') {
    warmup 2
    runs 10                                   // or: adaptive maxRuns: 30, targetCi: 0.02
    charts 'wall', 'machine.instructions'
    variant('no dax') { guest([:]).withCloseable { m -> metricsFrom m; measure { assert m.run(60.s) == 0 } } }
    variant('dax')    { guest(dax: 1.GiB).withCloseable { m -> metricsFrom m; measure { assert m.run(60.s) == 0 } } }
}
