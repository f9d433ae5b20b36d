package io.drydock.pci;

import io.drydock.kernel.memory.Sizes;

import java.util.List;

/**
 * Prints the bus as {@code lspci -vv} would, from the configuration registers a guest reads: address,
 * class and ids, subsystem, command/status, interrupt routing, BARs with addresses, sizes and kinds, and
 * the capability list with virtio structures decoded. Called under the host's lock.
 */
final class Lspci {
    private Lspci() {}

    static String tree(PciHost host) {
        StringBuilder sb = new StringBuilder();
        for (PciFunction f : host.functions()) function(sb, host, f);
        return sb.toString();
    }

    private static void function(StringBuilder sb, PciHost host, PciFunction f) {
        int cls = f.configRead(ConfigSpace.REVISION, 4) >>> 8;
        int rev = f.configRead(ConfigSpace.REVISION, 1);
        sb.append(String.format("%s %s [%04x]: %s [%04x:%04x]", f.address(), className(cls), cls >>> 8,
                deviceName(f.vendorId(), f.deviceId()), f.vendorId(), f.deviceId()));
        if (rev != 0) sb.append(String.format(" (rev %02x)", rev));
        if ((cls & 0xff) != 0) sb.append(String.format(" (prog-if %02x)", cls & 0xff));
        sb.append('\n');
        sb.append(String.format("\tSubsystem: [%04x:%04x]%n", f.configRead(ConfigSpace.SUBSYSTEM_VENDOR, 2),
                f.configRead(ConfigSpace.SUBSYSTEM_ID, 2)));
        int cmd = f.configRead(ConfigSpace.COMMAND, 2), status = f.configRead(ConfigSpace.STATUS, 2);
        sb.append(String.format("\tControl: I/O%s Mem%s BusMaster%s DisINTx%s%n", pm(cmd, ConfigSpace.CMD_IO),
                pm(cmd, ConfigSpace.CMD_MEMORY), pm(cmd, ConfigSpace.CMD_MASTER), pm(cmd, ConfigSpace.CMD_INTX_DISABLE)));
        sb.append(String.format("\tStatus: Cap%s INTx%s%n", pm(status, ConfigSpace.STATUS_CAP_LIST), pm(status, ConfigSpace.STATUS_INTERRUPT)));
        int pin = f.interruptPin();
        if (pin != 0) {
            sb.append(String.format("\tInterrupt: pin %c routed to IRQ %d (line register %d)%n", (char) ('A' + pin - 1),
                    IntxRouter.source(f.address().device(), pin), f.configRead(ConfigSpace.INTERRUPT_LINE, 1)));
        }
        for (Bar b : f.bars()) {
            long programmed = f.barAddress(b);
            long mapped = host.mappedBase(f, b.index());
            String where = programmed == 0 ? "<unassigned>" : Long.toHexString(programmed);
            String state = mapped >= 0 ? "" : programmed == 0 ? "" : !f.memoryEnabled() ? " [disabled]"
                    : host.barConflict(f, b.index()) != null ? " [conflict: " + host.barConflict(f, b.index()) + "]" : " [unreachable]";
            sb.append(String.format("\tRegion %d: Memory at %s (%s) [size=%s]%s%n", b.index(), where, b.kind(),
                    size(b.size()), state));
        }
        int ptr = f.configRead(ConfigSpace.CAPABILITIES, 1);
        int guard = 0;
        while (ptr != 0 && guard++ < 48) {
            int id = f.configRead(ptr, 1);
            sb.append(String.format("\tCapabilities: [%02x] %s%n", ptr, capabilityName(f, ptr, id)));
            for (String line : f.describeCapability(ptr)) sb.append("\t\t").append(line).append('\n');
            ptr = f.configRead(ptr + 1, 1);
        }
    }

    private static String capabilityName(PciFunction f, int offset, int id) {
        for (PciFunction.Capability c : f.capabilities()) if (c.offset() == offset) return c.description();
        return String.format("capability 0x%02x", id);
    }

    private static String pm(int reg, int bit) { return (reg & bit) != 0 ? "+" : "-"; }

    private static String size(long bytes) {
        String s = Sizes.format(bytes);
        return s.replace(" KiB", "K").replace(" MiB", "M").replace(" GiB", "G").replace(" B", "");
    }

    static String className(int cls) {
        return switch (cls >>> 8) {
            case 0x0600 -> "Host bridge";
            case 0x0180 -> "Mass storage controller";
            case 0x0100 -> "SCSI storage controller";
            case 0x0200 -> "Ethernet controller";
            case 0x0780 -> "Communication controller";
            case 0x00ff, 0xff00 -> "Unclassified device";
            default -> String.format("Class %04x", cls >>> 8);
        };
    }

    static String deviceName(int vendor, int device) {
        if (vendor == HostBridge.VENDOR && device == HostBridge.DEVICE) return "Red Hat, Inc. QEMU PCIe Host bridge";
        if (vendor == 0x1af4 && device >= 0x1040 && device <= 0x107f) {
            return "Red Hat, Inc. Virtio " + switch (device - 0x1040) {
                case 1 -> "network";
                case 2 -> "block";
                case 3 -> "console";
                case 4 -> "RNG";
                case 9 -> "9P transport";
                case 16 -> "GPU";
                case 18 -> "input";
                case 19 -> "socket";
                case 26 -> "file system";
                default -> "device " + (device - 0x1040);
            } + " (1.0)";
        }
        return "Device";
    }

    /** For tests: the list of capability ids in list order. */
    static List<Integer> capabilityIds(PciFunction f) {
        List<Integer> out = new java.util.ArrayList<>();
        int ptr = f.configRead(ConfigSpace.CAPABILITIES, 1);
        while (ptr != 0 && out.size() < 48) {
            out.add(f.configRead(ptr, 1));
            ptr = f.configRead(ptr + 1, 1);
        }
        return out;
    }
}
