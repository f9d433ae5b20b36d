package io.drydock.riscv.virt;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The 64-byte header of a RISC-V Linux {@code Image} (Linux Documentation/arch/riscv/boot-image-header.rst):
 * {@code text_offset} at 0x08, {@code image_size} at 0x10 (the bytes the kernel needs from its load
 * address, .bss included), the deprecated magic "RISCV\0\0\0" at 0x30 and magic2 "RSC\x05" at 0x38.
 */
record LinuxImageHeader(long textOffset, long imageSize) {
    static final long MAGIC = 0x5643534952L;   // "RISCV\0\0\0", little-endian
    static final int MAGIC2 = 0x05435352;      // "RSC\x05", little-endian

    /** The header, or null when {@code file} is not a RISC-V Linux Image. */
    static LinuxImageHeader parse(byte[] file) {
        if (file.length < 64) return null;
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        if (b.getInt(0x38) != MAGIC2 && b.getLong(0x30) != MAGIC) return null;
        return new LinuxImageHeader(b.getLong(0x08), b.getLong(0x10));
    }
}
