// The PCI enumeration guest (plugins/pci/guest/pcienum.c) on Drydock, compared line by line with what it
// printed on QEMU 7.2 (pcienum.expected). One difference is on purpose: QEMU 7.2 offers VIRTIO_F_RING_RESET
// (bit 40), which Drydock does not implement.
def m = machine {
    riscv harts: 1
    memory 128.MiB
    kernel 'plugins/pci/guest/pcienum.elf'
    pci
    virtioRng
}
def run = m.run(30.s)
def got = m.console().output().replace('\r', '').trim()
def want = new File('plugins/pci/guest/pcienum.expected').text.trim()
        .replace('virtio device features 0x0000010130000000', 'virtio device features 0x0000000130000000')
assert run.exitCode == 0 : "pcienum: $run"
assert got == want
println "pcienum: Drydock matches QEMU 7.2 (${got.readLines().size()} lines, ${m.instructionsRetired()} instructions)"
m.close()
