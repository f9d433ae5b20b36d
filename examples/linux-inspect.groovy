// A `linux` machine is inspected like any other: boot Linux (plugins/linux-guest) with a virtio-fs device
// and a DAX window, pause it when our /init runs, look at the hart (CSRs listed with mstatus.FS Off), the
// PCI tree, the virtio device and the DAX window, then let it power off.
//   scripts/drydock examples/linux-inspect.groovy       (in the REPL, m.console().attach() to type into it)
def share = new File('build/linux-guest/share'); share.mkdirs()
m = machine { riscv harts: 1; memory 256.MiB; pci; virtioFs tag: 'myfs', dir: share.path, dax: 64.MiB; linux mode: 'boot' }
m.start()
m.console().waitFor('reached /init', 1800.s)
m.pause()
println hart(0).regs()
println hart(0).csrs()
println lspci()
println virtio()
println dax()
m.resume()
println "exit: " + m.waitForExit(600.s)
