package io.drydock.riscv;

import io.drydock.kernel.bus.BusFault;
import io.drydock.kernel.bus.BusRegion;
import io.drydock.kernel.memory.RamAccess;
import io.drydock.kernel.memory.RamLease;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.HashMap;

import static io.drydock.riscv.Csr.*;

/**
 * Address translation (Sv39, priv 1.12 §4.3–4.4), the hart's software TLBs and its decoded-code cache.
 *
 * <p>Three direct-mapped TLBs (fetch, load, store; {@link Tlb}) map a virtual page number straight to host
 * memory: a RAM segment and an addend, so a hit costs one compare and one segment access. Only pages wholly
 * inside one RAM region are cached; MMIO always takes the slow path to {@link io.drydock.kernel.bus.SystemBus}.
 * There is one set of them per translation context ({@link TlbContexts}: satp, effective privilege, SUM,
 * MXR), so traps, xRET and mstatus/satp writes switch sets instead of flushing; sfence.vma drops what it
 * names (an address, an ASID), memory-map changes drop everything. A store TLB entry exists only for pages
 * whose PTE is already dirty.
 *
 * <p>A/D bits: set by the walker with a compare-and-swap on the PTE (the Svadu behaviour, as QEMU does).
 *
 * <p>Decoded code is cached per physical page (one slot per half-word). It is invalidated by fence.i, reset
 * and memory-map changes, not by ordinary stores: Zifencei requires fence.i before executing stored
 * instructions (unpriv 20191213 §3.2), and a guest that skips it may run stale code.
 *
 * <p>Misaligned loads and stores are emulated (split into bytes when they cross a page or hit MMIO); they
 * never trap. Misaligned AMOs and LR/SC raise address-misaligned exceptions.
 */
final class Mmu {
    static final int TLB_MASK = Tlb.MASK;
    static final int LOAD = 0, STORE = 1, FETCH = 2;
    // guest RAM's layouts: the kernel's one access primitive (RamAccess) defines them and what a failed access is
    static final ValueLayout.OfShort LE16 = RamAccess.LE16;
    static final ValueLayout.OfInt LE32 = RamAccess.LE32;
    static final ValueLayout.OfLong LE64 = RamAccess.LE64;
    private static final VarHandle ATOMIC64 = ValueLayout.JAVA_LONG.varHandle();
    private static final VarHandle ATOMIC32 = ValueLayout.JAVA_INT.varHandle();
    static {
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) throw new ExceptionInInitializerError("AMOs need a little-endian host");
    }
    private static final int MAX_CODE_PAGES = 16384;

    // PTE bits (§4.4.1, figure 4.21)
    static final long PTE_V = 1, PTE_R = 2, PTE_W = 4, PTE_X = 8, PTE_U = 16, PTE_G = 32, PTE_A = 64, PTE_D = 128;

    private final Hart h;
    private final TlbContexts contexts = new TlbContexts();
    /** The current context's TLBs (see {@link TlbContexts}), and their arrays, which the interpreter reads inline. */
    /** The current TLBs (package-private: the tests read the data TLBs' fast entries). */
    Tlb loads, stores;
    private Tlb fetches;
    private TlbContexts.Set fetchSet;
    private int dataContext = -1, fetchContext = -1;
    private long contextSatp;
    long[] lTag, sTag, lAdd, sAdd, fTag, fAdd;
    /** The current data TLBs' fast entries ({@link Tlb#fastAddress}). */
    long lFast, sFast;

    MemorySegment[] lSeg, sSeg, fSeg;
    CodePage[] fCode;
    /**
     * The primary RAM segment: the one the data TLBs' {@link Tlb#fast} entries point into, so that the inline
     * checks reach it through a field instead of a per-entry array (chosen at the first fill after a flush by
     * {@link #primary}; null until then, or when no region qualifies).
     */
    MemorySegment ram;
    private boolean ramChosen;
    /**
     * The primary segment's lease, which keeps it mapped while the fast entries hold raw host addresses into it:
     * entered by {@link #enterRam} (every Interpreter.execute) and left by {@link #leaveRam}, so no raw access
     * happens outside; {@code leased} while entered. Null when there is no primary (or it has no lease).
     */
    private RamLease lease;
    private boolean inside, leased;
    /** Leaf level of the last successful {@link #translate} (0 = 4 KiB page). */
    private int leafLevel;
    /** The RAM region of the last page-table walk ({@link #walkRegion}): its segment, base and size - 7. */
    private BusRegion.Ram walkRam;
    private MemorySegment walkSeg;
    private long walkBase, walkEnd;
    /** Whether that translation is global (G set in its leaf or in a PTE above it: priv 1.12 §4.3.1). */
    private boolean leafGlobal;
    private final HashMap<Long, CodePage> code = new HashMap<>();
    private volatile boolean flushRequested;
    /** True while the machine has watchpoints: loads and stores check them here, and watched pages stay out of the TLBs. */
    private boolean watching;
    /** True while the machine has breakpoints: their pages stay out of the fetch TLB (see codePage). */
    private boolean breaking;
    /** Privilege used for loads and stores: MPP when MPRV is set in M-mode (§3.1.6.3). */
    int dataPriv = PRIV_M;
    private boolean sum, mxr;
    /** The code page codePage() last returned: segment and the offset of its first byte. */
    MemorySegment curSeg;
    long curOff;

    Mmu(Hart h) {
        this.h = h;
        contextChanged();
    }

    /** From the memory map's change listener (any thread): flush before the next block. */
    void requestFlush() { flushRequested = true; }

    /** True when the memory map changed since the last block start (the caches are dropped at the next). */
    boolean flushPending() { return flushRequested; }

    /** Called at block starts on the hart's thread. */
    void checkFlush() {
        if (flushRequested) {
            flushRequested = false;
            flushAll();
            flushCode();
        }
    }

    /**
     * Privilege, mstatus (MPRV, MPP, SUM, MXR) or satp changed: selects the TLBs of the new translation
     * context (priv 1.12 §3.1.6.3, §4.1.11) without flushing anything. Cheap when nothing relevant changed.
     */
    void contextChanged() {
        long s = h.mstatus;
        dataPriv = h.priv == PRIV_M && (s & MPRV) != 0 ? (int) ((s >>> 11) & 3) : h.priv;
        sum = (s & SUM) != 0;
        mxr = (s & MXR) != 0;
        boolean translated = (h.satp >>> 60) != 0;
        int d = !translated || dataPriv == PRIV_M ? TlbContexts.BARE
                : (dataPriv == PRIV_S ? 1 : 2) | (dataPriv == PRIV_S && sum ? 4 : 0) | (mxr ? 8 : 0);
        int f = !translated || h.priv == PRIV_M ? TlbContexts.BARE : h.priv == PRIV_S ? 1 : 2;
        if (d == dataContext && f == fetchContext && (h.satp == contextSatp || (d == TlbContexts.BARE && f == TlbContexts.BARE))) return;
        dataContext = d;
        fetchContext = f;
        contextSatp = h.satp;
        TlbContexts.Set ds = contexts.data(h.satp, d), fs = contexts.fetch(h.satp, f);
        loads = ds.first;
        stores = ds.second;
        fetches = fs.first;
        fetchSet = fs;
        lFast = loads.fastAddress; lTag = loads.tag; lAdd = loads.add; lSeg = loads.seg;
        sFast = stores.fastAddress; sTag = stores.tag; sAdd = stores.add; sSeg = stores.seg;
        fTag = fetches.tag; fAdd = fetches.add; fSeg = fetches.seg; fCode = fetches.code;
        rebind();
    }

    /**
     * The generation of the current fetch context's TLB ({@link TlbContexts.Set#gen}): unchanged exactly while
     * that context's virtual→physical code mappings, as the hart may use them, stay the same and no code page was
     * dropped; cross-page chained exits ({@link Block}) are followed only while it equals the value they were
     * linked under. Read at link time; the translated code reads the interpreter's copy.
     */
    long fetchGen() { return fetchSet.gen; }

    /**
     * Drops the translated blocks of {@code page} (its decoded words stay) and renews the fetch generation, so no
     * cross-page link made under the current one leads into them: their slots are translated again at their next
     * entry (their heat stays).
     */
    void dropBlocks(CodePage page) {
        java.util.Arrays.fill(page.blocks, null);
        fetchSet.renew();
        rebind();
    }

    /** Hands the interpreter the current sets' arrays, the primary segment and the fetch generation again. */
    private void rebind() {
        if (h.interpreter != null) h.interpreter.bindTlbs();
    }

    /**
     * Before a run of guest code (Interpreter.execute), on the hart's thread: enters the primary segment's
     * lease again, or, when the backing was closed meanwhile (a script, a memory-map change), drops every
     * fast entry before one of its raw addresses can be used. The backing is unmapped only once every hart
     * inside has left (kernel RamLease), so an access by raw address never finds its memory gone.
     */
    void enterRam() {
        inside = true;
        if (lease == null) return;
        if (lease.enter()) leased = true;
        else flushAll(); // drops the fast entries and the choice; primary() chooses again at the next fill
    }

    /** After the run (also when it threw): leaves the lease, so a closed backing may be unmapped. */
    void leaveRam() {
        inside = false;
        if (leased) {
            leased = false;
            lease.exit();
        }
    }

    /** Forgets every cached translation of every context (memory-map change, reset, watchpoints). */
    void flushAll() {
        if (leased) {
            leased = false;
            lease.exit();
        }
        lease = null;
        watching = h.debug != null && h.debug.hasWatchpoints();
        breaking = h.debug != null && h.debug.hasBreakpoints();
        contexts.clearAll();
        walkRam = null;
        ramChosen = false; // the memory map may have changed: choose again at the next fill
        rebind();
    }

    /**
     * The host address of {@code s}'s first byte when it is the primary RAM segment, else -1, choosing it first
     * if needed: the largest RAM region with a lease (anonymous memory or a memfd; never a DAX window or mapped
     * file, whose pages may vanish and which a guest reaches less often), whose lease it enters. Called only
     * when a data TLB is filled, and every data TLB was cleared when the choice was dropped (flushAll), so no
     * fast entry ever points into another segment than {@link #ram}.
     */
    private long primary(MemorySegment s) {
        if (!ramChosen) {
            if (!inside) return -1; // raw addresses only for a run that holds the lease (fills by a debugger: slow path)
            BusRegion.Ram best = null;
            for (BusRegion r : h.bus.regions()) {
                if (r instanceof BusRegion.Ram x && x.region().backing().lease() != null && !x.region().segment().isReadOnly()
                        && !RamAccess.mayFault(x.region()) && x.region().segment().address() + x.size() <= Interpreter.HOST_BITS
                        && (best == null || x.size() > best.size())) best = x;
            }
            ram = null;
            if (best != null && best.region().backing().lease().enter()) {
                lease = best.region().backing().lease();
                leased = true;
                ram = best.region().segment();
            }
            ramChosen = true;
            rebind();
        }
        return s == ram ? lease.address() : -1;
    }

    /**
     * sfence.vma (priv 1.12 §4.2.1): rs1 = x0 orders every address, else only {@code va}'s page (and a
     * superpage containing it); rs2 = x0 every address space, else only ASID {@code asid}.
     */
    void fence(boolean allAddresses, long va, boolean allSpaces, long asid) {
        contexts.fence(allAddresses ? -1 : va >>> 12, allSpaces ? -1 : (int) (asid & 0xffff));
        rebind();
    }

    /** fence.i: forget every decoded instruction. */
    void flushCode() {
        code.clear();
        contexts.clearAll();
        rebind();
    }

    // ---- translation ----

    private Trap pageFault(int access, long va) {
        return h.raise(access == FETCH ? Trap.INSN_PAGE : access == LOAD ? Trap.LOAD_PAGE : Trap.STORE_PAGE, va);
    }

    private Trap accessFault(int access, long va) {
        return h.raise(access == FETCH ? Trap.INSN_ACCESS : access == LOAD ? Trap.LOAD_ACCESS : Trap.STORE_ACCESS, va);
    }

    /** Virtual → physical for one access, walking the page table if needed (§4.3.2). */
    long translate(long va, int access) {
        int p = access == FETCH ? h.priv : dataPriv;
        leafLevel = 0;
        leafGlobal = false;
        if (p == PRIV_M || (h.satp >>> 60) == 0) return va;
        if (((va << 25) >> 25) != va) throw pageFault(access, va); // §4.4.1: bits 63:39 equal bit 38
        while (true) {
            long a = (h.satp & 0xfff_ffff_ffffL) << 12;
            long g = 0;
            for (int level = 2; level >= 0; level--) {
                long pteAddr = a + ((va >>> (12 + 9 * level)) & 511) * 8;
                BusRegion.Ram ram = walkRam;
                if (ram == null || Long.compareUnsigned(pteAddr - walkBase, walkEnd) >= 0) ram = walkRegion(pteAddr);
                if (ram == null) throw accessFault(access, va);
                MemorySegment seg = walkSeg;
                long off = pteAddr - walkBase;
                long pte = seg.get(LE64, off);
                if ((pte & PTE_V) == 0 || ((pte & PTE_R) == 0 && (pte & PTE_W) != 0) || (pte >>> 54) != 0) {
                    throw pageFault(access, va); // step 3; bits 63:54 reserved (no Svnapot/Svpbmt)
                }
                g |= pte & PTE_G;
                if ((pte & (PTE_R | PTE_X)) == 0) {
                    if (level == 0) throw pageFault(access, va);
                    a = ((pte >>> 10) & 0xfff_ffff_ffffL) << 12;
                    continue;
                }
                // leaf (step 5): permissions
                boolean ok = switch (access) {
                    case FETCH -> (pte & PTE_X) != 0;
                    case LOAD -> (pte & PTE_R) != 0 || (mxr && (pte & PTE_X) != 0);
                    default -> (pte & PTE_W) != 0;
                };
                if (!ok) throw pageFault(access, va);
                if ((pte & PTE_U) != 0) {
                    if (p == PRIV_S && (access == FETCH || !sum)) throw pageFault(access, va);
                } else if (p == PRIV_U) {
                    throw pageFault(access, va);
                }
                long ppn = (pte >>> 10) & 0xfff_ffff_ffffL;
                if (level > 0 && (ppn & ((1L << (9 * level)) - 1)) != 0) throw pageFault(access, va); // step 6
                long want = pte | PTE_A | (access == STORE ? PTE_D : 0);
                if (want != pte) {
                    // step 7 (Svadu): set A/D atomically; if the PTE changed meanwhile, walk again
                    if (!ATOMIC64.compareAndSet(seg, off, pte, want)) break;
                }
                long mask = (1L << (12 + 9 * level)) - 1;
                leafLevel = level;
                leafGlobal = g != 0;
                return ((ppn << 12) & ~mask) | (va & mask);
            }
        }
    }

    /**
     * The RAM region holding the page-table entry at {@code pa}, kept for the next walk's entries (a system's page
     * tables are in one region: a bus search per level was most of a walk's cost); null when {@code pa} is not RAM.
     * Dropped by {@link #flushAll} (a memory-map change).
     */
    private BusRegion.Ram walkRegion(long pa) {
        if (!(h.bus.find(pa) instanceof BusRegion.Ram ram) || !ram.contains(pa, 8)) return null;
        walkRam = ram;
        walkSeg = ram.region().segment();
        walkBase = ram.base();
        walkEnd = ram.size() - 7; // pa - walkBase below this (unsigned): all 8 bytes inside, as contains(pa, 8)
        return ram;
    }

    /**
     * Virtual → physical for a debugger: the walk a load at the hart's privilege would do (§4.3.2), but
     * read-only (no A/D update, no permission check, no trap). -1 when not mapped.
     */
    long debugTranslate(long va) {
        if (dataPriv == PRIV_M || (h.satp >>> 60) == 0) return va;
        if (((va << 25) >> 25) != va) return -1;
        long a = (h.satp & 0xfff_ffff_ffffL) << 12;
        for (int level = 2; level >= 0; level--) {
            long pteAddr = a + ((va >>> (12 + 9 * level)) & 511) * 8;
            if (!(h.bus.find(pteAddr) instanceof BusRegion.Ram ram) || !ram.contains(pteAddr, 8)) return -1;
            long pte = ram.region().segment().get(LE64, pteAddr - ram.base());
            if ((pte & PTE_V) == 0 || ((pte & PTE_R) == 0 && (pte & PTE_W) != 0)) return -1;
            long ppn = (pte >>> 10) & 0xfff_ffff_ffffL;
            if ((pte & (PTE_R | PTE_X)) == 0) {
                a = ppn << 12;
                continue;
            }
            long mask = (1L << (12 + 9 * level)) - 1;
            return ((ppn << 12) & ~mask) | (va & mask);
        }
        return -1;
    }

    /** The RAM region wholly containing the page of {@code pa}, or null. */
    private BusRegion.Ram ramPage(long pa) {
        BusRegion r = h.bus.find(pa);
        return r instanceof BusRegion.Ram ram && ram.contains(pa & ~0xfffL, 4096) ? ram : null;
    }

    // ---- loads and stores (slow paths of Interpreter's inline TLB checks) ----

    /** A load of size 1/2/4/8 bytes, zero-extended. Fills the load TLB for RAM pages. */
    long load(long va, int size) {
        if (watching) watch(va, size, false);
        if ((va & 0xfff) + size > 4096) return loadBytes(va, size);
        long pa = translate(va, LOAD);
        BusRegion.Ram ram = ramPage(pa);
        if (ram != null) {
            long add = pa - va - ram.base();
            MemorySegment seg = ram.region().segment();
            if (!watching || !h.debug.watchesPage(va >>> 12)) loads.fill(va >>> 12, seg, add, leafLevel, leafGlobal, primary(seg));
            return read(seg, va + add, size);
        }
        if ((pa & (size - 1)) != 0) return loadBytes(va, size);
        try {
            return h.bus.read(pa, size);
        } catch (BusFault e) {
            throw accessFault(LOAD, va);
        }
    }

    private long loadBytes(long va, int size) {
        long v = 0;
        for (int i = 0; i < size; i++) v |= (load(va + i, 1) & 0xff) << (8 * i);
        return v;
    }

    static long read(MemorySegment seg, long off, int size) { return RamAccess.get(seg, off, size); }

    void store(long va, int size, long value) {
        if (watching) watch(va, size, true);
        if ((va & 0xfff) + size > 4096) {
            storeBytes(va, size, value);
            return;
        }
        long pa = translate(va, STORE);
        BusRegion.Ram ram = ramPage(pa);
        // a read-only mapping never enters the store TLB: the bus refuses the write (an access fault)
        if (ram != null && !ram.region().segment().isReadOnly()) {
            long add = pa - va - ram.base();
            MemorySegment seg = ram.region().segment();
            if (!watching || !h.debug.watchesPage(va >>> 12)) stores.fill(va >>> 12, seg, add, leafLevel, leafGlobal, primary(seg));
            write(seg, va + add, size, value);
            return;
        }
        if ((pa & (size - 1)) != 0) {
            storeBytes(va, size, value);
            return;
        }
        try {
            h.bus.write(pa, size, value);
        } catch (BusFault e) {
            throw accessFault(STORE, va);
        }
    }

    private void storeBytes(long va, int size, long value) {
        // check every byte's translation first, so a fault leaves memory untouched
        for (int i = 0; i < size; i++) translate(va + i, STORE);
        for (int i = 0; i < size; i++) store(va + i, 1, value >>> (8 * i));
    }

    static void write(MemorySegment seg, long off, int size, long v) { RamAccess.set(seg, off, size, v); }

    // ---- atomics (A extension) ----

    private long atomicPa(long va, int size, int access) {
        if ((va & (size - 1)) != 0) {
            throw h.raise(access == LOAD ? Trap.LOAD_MISALIGNED : Trap.STORE_MISALIGNED, va);
        }
        if (watching) watch(va, size, access == STORE);
        return translate(va, access);
    }

    /**
     * An access that hits a watchpoint ends the instruction before it has any effect: the hart stops with pc
     * at the instruction (the RISC-V debug spec's trigger timing "before", which gdb assumes for RISC-V and
     * steps over itself). Unwinds like a trap, but the interpreter does not take it (watchHit is set).
     */
    private void watch(long va, int size, boolean write) {
        if (h.watchSuppressed) return;
        var w = h.debug.watchHit(va, size, write);
        if (w != null) {
            h.watchHit = w;
            h.watchAddress = Math.max(va, w.address());
            throw h.trap;
        }
    }

    /** LR.W/D: loads (sign-extended for W) and reserves the address. */
    long loadReserved(long va, int size) {
        long pa = atomicPa(va, size, LOAD);
        long v = load(va, size);
        h.reservation = pa;
        h.reservedValue = v;
        return size == 4 ? (int) v : v;
    }

    /**
     * SC.W/D: 0 on success, 1 on failure. Succeeds when this hart holds a reservation on the address and
     * memory still holds the value LR read, checked and stored with one compare-and-swap: a store by
     * another hart that changed the value makes it fail. (A store of the same value in between is not
     * seen: the ABA case, which the spec's forward-progress rules do not rely on.)
     */
    long storeConditional(long va, int size, long value) {
        long pa = atomicPa(va, size, STORE);
        boolean held = h.reservation == pa;
        h.reservation = -1;
        if (!held) return 1;
        BusRegion r = h.bus.find(pa);
        if (!(r instanceof BusRegion.Ram ram) || !ram.contains(pa, size)) throw accessFault(STORE, va);
        MemorySegment seg = ram.region().segment();
        long off = pa - ram.base();
        boolean ok = size == 4
                ? ATOMIC32.compareAndSet(seg, off, (int) h.reservedValue, (int) value)
                : ATOMIC64.compareAndSet(seg, off, h.reservedValue, value);
        return ok ? 0 : 1;
    }

    /** AMO*.W/D: returns the old value (sign-extended for W). funct5 as in the encoding. */
    long amo(long va, int size, int funct5, long src) {
        long pa = atomicPa(va, size, STORE);
        BusRegion r = h.bus.find(pa);
        if (r instanceof BusRegion.Ram ram && ram.contains(pa, size)) {
            MemorySegment seg = ram.region().segment();
            long off = pa - ram.base();
            if (size == 4) {
                int old;
                do {
                    old = (int) ATOMIC32.getVolatile(seg, off);
                } while (!ATOMIC32.compareAndSet(seg, off, old, (int) compute(funct5, old, src, true)));
                return old;
            }
            long old;
            do {
                old = (long) ATOMIC64.getVolatile(seg, off);
            } while (!ATOMIC64.compareAndSet(seg, off, old, compute(funct5, old, src, false)));
            return old;
        }
        // MMIO: read-modify-write through the bus (devices synchronise themselves)
        try {
            long raw = h.bus.read(pa, size);
            long old = size == 4 ? (int) raw : raw;
            h.bus.write(pa, size, compute(funct5, old, src, size == 4));
            return old;
        } catch (BusFault e) {
            throw accessFault(STORE, va);
        }
    }

    static long compute(int f5, long a, long b, boolean w) {
        if (w) { a = (int) a; b = (int) b; }
        return switch (f5) {
            case 0 -> a + b;
            case 1 -> b;
            case 4 -> a ^ b;
            case 8 -> a | b;
            case 12 -> a & b;
            case 16 -> Math.min(a, b);
            case 20 -> Math.max(a, b);
            case 24 -> w ? (Integer.compareUnsigned((int) a, (int) b) < 0 ? a : b) : (Long.compareUnsigned(a, b) < 0 ? a : b);
            default -> w ? (Integer.compareUnsigned((int) a, (int) b) > 0 ? a : b) : (Long.compareUnsigned(a, b) > 0 ? a : b);
        };
    }

    // ---- instruction fetch ----

    /**
     * The decoded code page holding {@code pc}; sets curSeg/curOff for decoding. The fetch-TLB hit is small
     * enough for C2 to inline into the dispatch loop (a warm-JVM Linux boot spent 4 % of the hart's samples
     * calling this method when it held the miss as well); the miss is {@link #codePageMiss}.
     */
    CodePage codePage(long pc) {
        long vpn = pc >>> 12;
        int i = (int) vpn & TLB_MASK;
        if (fTag[i] != vpn) return codePageMiss(pc, vpn, i);
        curSeg = fSeg[i];
        curOff = fAdd[i];
        return fCode[i].inWindow(h.instret >>> Interpreter.WINDOW);
    }

    private CodePage codePageMiss(long pc, long vpn, int i) {
        long pa = translate(pc, FETCH);
        BusRegion.Ram ram = ramPage(pa);
        if (ram == null) throw accessFault(FETCH, pc);
        long ppage = pa & ~0xfffL;
        CodePage page = code.get(ppage);
        if (page == null) {
            if (code.size() >= MAX_CODE_PAGES) flushCode();
            page = new CodePage();
            code.put(ppage, page);
        }
        page.inWindow(h.instret >>> Interpreter.WINDOW);
        if (breaking && h.debug.breaksPage(vpn)) {
            // A page with a breakpoint never enters the fetch TLB, so every entry to it comes here. In Hart.debugRun's
            // fast run, the run ends here, before the first instruction on the page, unwinding like a trap the
            // interpreter does not take (pageBreak is set); the hart then checks instruction by instruction.
            if (h.stopAtBreakpointPages) {
                h.pageBreak = true;
                throw h.trap;
            }
            curSeg = ram.region().segment();
            curOff = ppage - ram.base();
            return page;
        }
        curSeg = ram.region().segment();
        curOff = ppage - ram.base();
        fetches.fill(vpn, curSeg, curOff, leafLevel, leafGlobal, -1);
        fCode[i] = page;
        return page;
    }

    /** Decodes the slot of {@code pc} on the current code page (after codePage(pc)). */
    long decode(long pc) {
        int o = (int) pc & 0xfff;
        int lo = curSeg.get(LE16, curOff + o) & 0xffff;
        if (Decoder.isCompressed(lo)) return Decoder.decode16(lo);
        if (o == 4094) return Op.pack(Op.CROSS, 0, 0, 0, 0, false);
        return Decoder.decode32(curSeg.get(LE32, curOff + o));
    }

    /** A 32-bit instruction whose upper half lies on the next page: fetched and decoded each time. */
    long decodeCross(long pc) {
        int lo = curSeg.get(LE16, curOff + 4094) & 0xffff;
        long pa = translate(pc + 2, FETCH);
        BusRegion.Ram ram = ramPage(pa);
        if (ram == null) throw accessFault(FETCH, pc + 2);
        int hi = ram.region().segment().get(LE16, pa - ram.base()) & 0xffff;
        return Decoder.decode32(lo | (hi << 16));
    }

    /** The raw instruction bits at pc (for mtval of illegal instructions and for tools). */
    int fetchRaw(long pc) {
        int lo = (int) load16Fetch(pc);
        if (Decoder.isCompressed(lo)) return lo;
        return lo | ((int) load16Fetch(pc + 2) << 16);
    }

    private long load16Fetch(long va) {
        long pa = translate(va, FETCH);
        BusRegion.Ram ram = ramPage(pa);
        if (ram == null) throw accessFault(FETCH, va);
        return ram.region().segment().get(LE16, pa - ram.base()) & 0xffff;
    }
}
