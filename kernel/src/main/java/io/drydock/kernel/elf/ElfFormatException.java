package io.drydock.kernel.elf;

/** A file that is not a loadable ELF64 image, with what is wrong and where. */
public final class ElfFormatException extends Exception {
    public ElfFormatException(String message) { super(message); }

    public ElfFormatException(String message, Throwable cause) { super(message, cause); }
}
