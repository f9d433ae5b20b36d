package io.drydock.kernel.elf;

import io.drydock.kernel.memory.GuestMemory;
import io.drydock.kernel.memory.GuestMemoryException;

/** Loads an ELF image's PT_LOAD segments into guest-physical memory at their physical addresses. */
public final class ElfLoader {
    private ElfLoader() {}

    /** Where an image landed: its entry point and the span its segments occupy. */
    public record Loaded(long entry, long lowest, long highest) {}

    /**
     * Copies each PT_LOAD segment's file bytes to p_paddr and zeroes the rest up to p_memsz (.bss).
     *
     * @throws ElfFormatException when a segment does not fit in guest RAM (names the segment and address)
     */
    public static Loaded load(ElfImage image, GuestMemory memory) throws ElfFormatException {
        long lowest = Long.MAX_VALUE, highest = 0;
        for (ElfImage.Segment s : image.loadSegments()) {
            if (s.memSize() == 0) continue;
            try {
                if (!memory.isRam(s.paddr(), s.memSize())) {
                    throw new ElfFormatException(String.format("segment at 0x%x (+0x%x bytes) does not fit in guest RAM",
                            s.paddr(), s.memSize()));
                }
                memory.write(s.paddr(), image.segmentBytes(s));
                if (s.memSize() > s.fileSize()) memory.fill(s.paddr() + s.fileSize(), s.memSize() - s.fileSize(), (byte) 0);
            } catch (GuestMemoryException e) {
                throw new ElfFormatException("segment at 0x" + Long.toHexString(s.paddr()) + ": " + e.getMessage());
            }
            lowest = Math.min(lowest, s.paddr());
            highest = Math.max(highest, s.paddr() + s.memSize());
        }
        if (lowest == Long.MAX_VALUE) throw new ElfFormatException("no loadable segment");
        return new Loaded(image.entry(), lowest, highest);
    }
}
