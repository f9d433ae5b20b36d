package io.drydock.riscv;

/**
 * The hart's TLBs, one set per translation context, so that changing context flushes nothing.
 *
 * <p>What a cached translation may be used for depends on (priv 1.12): satp (MODE, ASID and the root
 * page table, §4.1.11); the effective privilege (for loads and stores MPP when MPRV is set in M-mode,
 * §3.1.6.3); SUM, which lets S-mode touch U pages, and MXR, which makes execute-only pages readable
 * (§3.1.6.3). A data context is (satp, privilege, SUM, MXR), a fetch context (satp, privilege); every
 * untranslated access (M-mode, or satp.MODE = Bare) shares context 0, whose identity mappings depend on the
 * memory map alone. Trap entry, xRET and writes of mstatus/sstatus/satp only select another set (a few
 * compares); a set is cleared when it is reused for another context (least recently used first), by
 * sfence.vma (§4.2.1, per address and ASID), and by memory-map changes.
 *
 * <p>Keying by the whole satp is stricter than the spec needs (a write of satp need not invalidate anything,
 * §4.1.11): a reused ASID with a new root gets fresh TLBs without any sfence.vma.
 */
final class TlbContexts {
    static final int DATA_SETS = 8, FETCH_SETS = 6;
    /** Context number of untranslated accesses. */
    static final int BARE = 0;

    /** One context's TLBs: load and store (data), or fetch alone. */
    final class Set {
        long satp;
        int context = -1;
        long used;
        /**
         * Changes whenever this set forgets anything or is given to another context (a value no other set of this
         * hart holds, never reused): a cross-page chained exit ({@link Block}) recorded it when linked and is
         * followed only while the current fetch set's value is still the same. Set here, where the set forgets.
         */
        long gen = ++gens;
        final Tlb first, second;

        Set(boolean data) {
            first = new Tlb(!data);
            second = data ? new Tlb(false) : null;
        }

        void clear() {
            first.clear();
            if (second != null) second.clear();
            gen = ++gens;
        }

        void dropNonGlobal() {
            first.dropNonGlobal();
            if (second != null) second.dropNonGlobal();
            gen = ++gens;
        }

        /** A new generation without forgetting anything: cross-page links made under the old one are not followed. */
        void renew() {
            gen = ++gens;
        }

        void dropPage(long vpn) {
            first.dropPage(vpn);
            if (second != null) second.dropPage(vpn);
            gen = ++gens;
        }
    }

    private final Set[] data = new Set[DATA_SETS], fetch = new Set[FETCH_SETS];
    private long clock, gens;

    /** The data set (load = first, store = second) for the context; satp is ignored for {@link #BARE}. */
    Set data(long satp, int context) { return select(data, context == BARE ? 0 : satp, context, true); }

    Set fetch(long satp, int context) { return select(fetch, context == BARE ? 0 : satp, context, false); }

    private Set select(Set[] sets, long satp, int context, boolean isData) {
        int victim = -1;
        for (int i = 0; i < sets.length; i++) {
            Set s = sets[i];
            if (s == null) {
                if (victim == -1 || sets[victim] != null) victim = i;
                continue;
            }
            if (s.context == context && s.satp == satp) {
                s.used = ++clock;
                return s;
            }
            if (victim == -1 || (sets[victim] != null && s.used < sets[victim].used)) victim = i;
        }
        Set s = sets[victim];
        if (s == null) s = sets[victim] = new Set(isData);
        else s.clear();
        s.satp = satp;
        s.context = context;
        s.used = ++clock;
        return s;
    }

    /** Memory-map change, reset, watchpoints: every context, the untranslated one included. */
    void clearAll() {
        for (Set s : data) if (s != null) s.clear();
        for (Set s : fetch) if (s != null) s.clear();
    }

    /**
     * sfence.vma (priv 1.12 §4.2.1): {@code vpn} -1 for every address, {@code asid} -1 for every address
     * space. An ASID-specific fence of every address keeps the global mappings of that space (they need not be
     * ordered); one of a single address drops that page's global mapping too (a TLB may always forget more).
     * The untranslated context holds no page-table data and is kept.
     */
    void fence(long vpn, int asid) {
        fence(data, vpn, asid);
        fence(fetch, vpn, asid);
    }

    private void fence(Set[] sets, long vpn, int asid) {
        for (Set s : sets) {
            if (s == null || s.context == BARE || s.context == -1) continue;
            if (asid != -1 && asidOf(s.satp) != asid) continue;
            if (vpn != -1) s.dropPage(vpn);
            else if (asid != -1) s.dropNonGlobal();
            else s.clear();
        }
    }

    static int asidOf(long satp) { return (int) (satp >>> 44) & 0xffff; }
}
