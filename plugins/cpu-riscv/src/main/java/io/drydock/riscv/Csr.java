package io.drydock.riscv;

/** CSR numbers and bit layouts (priv 1.12 §2.2 tables 2.2–2.5; §3.1; §4.1). */
final class Csr {
    private Csr() {}

    static final int FFLAGS = 0x001, FRM = 0x002, FCSR = 0x003;
    static final int CYCLE = 0xC00, TIME = 0xC01, INSTRET = 0xC02;
    static final int SSTATUS = 0x100, SIE = 0x104, STVEC = 0x105, SCOUNTEREN = 0x106, SENVCFG = 0x10A;
    static final int SSCRATCH = 0x140, SEPC = 0x141, SCAUSE = 0x142, STVAL = 0x143, SIP = 0x144, SATP = 0x180;
    static final int MVENDORID = 0xF11, MARCHID = 0xF12, MIMPID = 0xF13, MHARTID = 0xF14, MCONFIGPTR = 0xF15;
    static final int MSTATUS = 0x300, MISA = 0x301, MEDELEG = 0x302, MIDELEG = 0x303, MIE = 0x304, MTVEC = 0x305;
    static final int MCOUNTEREN = 0x306, MENVCFG = 0x30A, MCOUNTINHIBIT = 0x320;
    static final int MSCRATCH = 0x340, MEPC = 0x341, MCAUSE = 0x342, MTVAL = 0x343, MIP = 0x344;
    static final int PMPCFG0 = 0x3A0, PMPADDR0 = 0x3B0;
    static final int MCYCLE = 0xB00, MINSTRET = 0xB02;
    static final int TSELECT = 0x7A0, TDATA1 = 0x7A1, TDATA2 = 0x7A2, TDATA3 = 0x7A3, MSECCFG = 0x747;

    // mstatus fields (priv 1.12 §3.1.6, figure 3.7)
    static final long SIE_BIT = 1L << 1, MIE_BIT = 1L << 3, SPIE = 1L << 5, UBE = 1L << 6, MPIE = 1L << 7, SPP = 1L << 8;
    static final long MPP = 3L << 11, FS = 3L << 13, XS = 3L << 15, MPRV = 1L << 17, SUM = 1L << 18, MXR = 1L << 19;
    static final long TVM = 1L << 20, TW = 1L << 21, TSR = 1L << 22, UXL = 3L << 32, SXL = 3L << 34, SD = 1L << 63;
    static final long FS_DIRTY = 3L << 13;
    /** UXL = SXL = 2 (64-bit), read-only. */
    static final long XL64 = (2L << 32) | (2L << 34);
    static final long MSTATUS_WRITABLE = SIE_BIT | MIE_BIT | SPIE | MPIE | SPP | MPP | FS | MPRV | SUM | MXR | TVM | TW | TSR;
    /** sstatus is a view of mstatus (priv 1.12 §4.1.1). */
    static final long SSTATUS_MASK = SIE_BIT | SPIE | UBE | SPP | (3L << 9) | FS | XS | SUM | MXR | UXL | SD;
    static final long SSTATUS_WRITABLE = SIE_BIT | SPIE | SPP | FS | SUM | MXR;

    // mip/mie bits (§3.1.9)
    static final int SSI = 1, MSI = 3, STI = 5, MTI = 7, SEI = 9, MEI = 11;
    static final long SSIP = 1L << SSI, MSIP = 1L << MSI, STIP = 1L << STI, MTIP = 1L << MTI, SEIP = 1L << SEI, MEIP = 1L << MEI;
    static final long ALL_INTERRUPTS = SSIP | MSIP | STIP | MTIP | SEIP | MEIP;
    static final long S_INTERRUPTS = SSIP | STIP | SEIP;
    /** mip bits M-mode software may write; MSIP/MTIP/MEIP come from the CLINT and PLIC only. */
    static final long MIP_WRITABLE = SSIP | STIP | SEIP;
    /** Exceptions that can be delegated: all but ecall from M (11) and the reserved 10 and 14. */
    static final long MEDELEG_WRITABLE = 0xB3FFL;

    /** misa: MXL = 2 (RV64) and A, C, D, F, I, M, S, U. */
    static final long MISA_VALUE = (2L << 62) | (1 << 0) | (1 << 2) | (1 << 3) | (1 << 5) | (1 << 8) | (1 << 12) | (1 << 18) | (1 << 20);

    static final int PRIV_U = 0, PRIV_S = 1, PRIV_M = 3;

    static String name(int csr) {
        return switch (csr) {
            case FFLAGS -> "fflags"; case FRM -> "frm"; case FCSR -> "fcsr";
            case CYCLE -> "cycle"; case TIME -> "time"; case INSTRET -> "instret";
            case SSTATUS -> "sstatus"; case SIE -> "sie"; case STVEC -> "stvec"; case SCOUNTEREN -> "scounteren";
            case SENVCFG -> "senvcfg"; case SSCRATCH -> "sscratch"; case SEPC -> "sepc"; case SCAUSE -> "scause";
            case STVAL -> "stval"; case SIP -> "sip"; case SATP -> "satp";
            case MVENDORID -> "mvendorid"; case MARCHID -> "marchid"; case MIMPID -> "mimpid"; case MHARTID -> "mhartid";
            case MCONFIGPTR -> "mconfigptr"; case MSTATUS -> "mstatus"; case MISA -> "misa"; case MEDELEG -> "medeleg";
            case MIDELEG -> "mideleg"; case MIE -> "mie"; case MTVEC -> "mtvec"; case MCOUNTEREN -> "mcounteren";
            case MENVCFG -> "menvcfg"; case MCOUNTINHIBIT -> "mcountinhibit"; case MSCRATCH -> "mscratch";
            case MEPC -> "mepc"; case MCAUSE -> "mcause"; case MTVAL -> "mtval"; case MIP -> "mip";
            case MCYCLE -> "mcycle"; case MINSTRET -> "minstret"; case TSELECT -> "tselect"; case TDATA1 -> "tdata1";
            case TDATA2 -> "tdata2"; case TDATA3 -> "tdata3"; case MSECCFG -> "mseccfg";
            default -> {
                if (csr >= PMPCFG0 && csr < PMPCFG0 + 16) yield "pmpcfg" + (csr - PMPCFG0);
                if (csr >= PMPADDR0 && csr < PMPADDR0 + 64) yield "pmpaddr" + (csr - PMPADDR0);
                if (csr >= 0xC03 && csr <= 0xC1F) yield "hpmcounter" + (csr - 0xC00);
                if (csr >= 0xB03 && csr <= 0xB1F) yield "mhpmcounter" + (csr - 0xB00);
                if (csr >= 0x323 && csr <= 0x33F) yield "mhpmevent" + (csr - 0x320);
                yield String.format("0x%03x", csr);
            }
        };
    }
}
