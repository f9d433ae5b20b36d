package io.drydock.pci;

/** A function's bus:device.function, printed as lspci does ("00:01.0"). */
public record PciAddress(int bus, int device, int function) {
    public PciAddress {
        if (bus < 0 || bus > 255 || device < 0 || device > 31 || function < 0 || function > 7) {
            throw new IllegalArgumentException("bad PCI address " + bus + ":" + device + "." + function);
        }
    }

    /** Device and function as one byte (devfn). */
    public int devfn() { return device << 3 | function; }

    @Override public String toString() { return String.format("%02x:%02x.%x", bus, device, function); }
}
