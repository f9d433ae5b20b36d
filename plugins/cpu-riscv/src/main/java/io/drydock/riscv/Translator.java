package io.drydock.riscv;

import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.CodeBuilder;
import java.lang.classfile.Label;
import java.lang.constant.ClassDesc;
import java.lang.constant.MethodTypeDesc;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

import static io.drydock.riscv.Op.*;
import static java.lang.constant.ConstantDescs.*;

/**
 * Translates a hot {@link Region} into a {@link Block}: a hidden class whose {@code run} method does what the
 * interpreter's cases would, with register numbers, immediates and pc offsets as constants and no dispatch
 * between instructions.
 * Each instruction's bytecode comes from its semantics in src/main/insn/rv64gc.insn (the generated
 * {@link Emitter}, which {@code Gen} extends with the mechanics below), as the interpreter's cases do.
 *
 * <ul>
 *   <li><b>Registers in JVM locals.</b> Every integer register the region uses is read from the hart's
 *       {@code x} array once on entry into a local; every register the region may write is stored back at
 *       each exit (one shared exit sequence) and in the shared trap handler, so the array is exact whenever
 *       control is outside the region. x0 is the constant 0 and writes to it are dropped. The F/D
 *       operations get integer operands and results as arguments and return values of their Fpu methods.</li>
 *   <li><b>Control flow inside the region.</b> Conditional branches and jal whose target is an instruction
 *       of the region are JVM jumps; others are side exits that return the next pc. A backward jump is a
 *       real loop back edge, so HotSpot compiles the guest loop as a loop (registers in host registers).</li>
 *   <li><b>Retired count and budget.</b> A local counts retired instructions, added per straight-line piece
 *       on each edge. {@code run} gets the instructions left in the hart's budget and is only entered when a
 *       whole pass fits ({@code length} ≤ left); each back edge continues only while another whole pass
 *       still fits, else it exits at the loop head. So a region never overruns the budget: {@code step(n)}
 *       stays exact, and the interrupt check in {@code Hart.run} comes at least every
 *       {@link Hart#BLOCK} (8192) instructions, as for interpreted code.</li>
 *   <li><b>Traps.</b> Each instruction that can trap (loads, stores, AMOs and LR/SC, F/D, CSR accesses) is
 *       covered by its own small handler that records its pc ({@code Interpreter.trapPc}) and the instructions retired before
 *       it ({@code Interpreter.ran}), then the shared handler stores the registers back and rethrows: pc,
 *       registers and instret are as the interpreter would leave them. Nothing of this is on the normal path.</li>
 *   <li><b>CSR accesses</b> that are quiet (Csrs.quiet: reads, and writes of the scratch/epc/cause/tval and FP
 *       CSRs) are calls of {@code Interpreter.csr} with the instruction, its source, pc and what is left of the
 *       budget (so the counters read the exact retired count); their legality (privilege, counter enables, TVM,
 *       FS) is decided there at run time. Any other CSR write ends the region before it (§3.1.9).</li>
 *   <li><b>Chained exits</b> ({@link Block}): an exit to a constant pc calls the successor block directly
 *       once the dispatch loop has linked it, up to {@link Block#chain} blocks deep (-Ddrydock.jit.chain=N,
 *       0: off); a chained call passes on what is left of the budget, and a trap in the successor adds this
 *       block's retired count on its way out. Whether a constant exit leaves the page is known here; such an
 *       exit (and a jalr's cache for other pages) is guarded by the target pc and the fetch generation
 *       ({@code -Ddrydock.jit.crosspage=0}: not linked).</li>
 *   <li><b>Calls and returns</b> ({@link Block}): a call goes on in the region after the callee's block, run as a
 *       JVM call with the return address as its {@code ret}, comes back to it; an exit or jalr to {@code ret}
 *       returns; an indirect jump that is neither call nor return calls its target with this region's start as
 *       {@code ret}, and goes round the region again when it comes back there ({@code -Ddrydock.jit.calls=0}: off).</li>
 * </ul>
 */
final class Translator {
    private Translator() {}

    private static final MethodHandles.Lookup LOOKUP = MethodHandles.lookup();
    private static final ClassDesc CD_BLOCK = ClassDesc.of(Block.class.getName());
    private static final ClassDesc CD_INTERP = Emitter.CD_INTERP;
    private static final ClassDesc CD_SELF = ClassDesc.of(Translator.class.getPackageName() + ".TranslatedBlock");
    private static final MethodTypeDesc INIT = MethodTypeDesc.of(CD_void, CD_int, CD_int, CD_BLOCK.arrayType());
    private static final MethodTypeDesc RUN = MethodTypeDesc.of(CD_long, CD_INTERP, CD_long.arrayType(), CD_long, CD_int, CD_int, CD_long);
    private static final ClassFile CF = ClassFile.of(ClassFile.ClassHierarchyResolverOption.of(
            ClassHierarchyResolver.defaultResolver().orElse(ClassHierarchyResolver.ofClassLoading(Translator.class.getClassLoader()))));
    // locals of run(): 0 this, 1 Interpreter, 2 long[] x, 3-4 pc, 5 left, 6 depth, 7-8 the return address a caller
    // waits for, 9 retired, 10 limit, 11-12 scratch, 13 exit pc (2 slots), 15 the exception in the trap handler,
    // 16 a chained successor, 17.. registers x1..x31 (2 slots each)
    private static final int IN = 1, X = 2, PC = 3, LEFT = 5, DEPTH = 6, RET = 7, N = 9, LIMIT = 10, TMP = 11, EXIT_PC = 13,
            EXC = 15, SUCC = 16, R0 = 17;
    private static final ClassDesc CD_BLOCKS = CD_BLOCK.arrayType();

    /** Hidden classes defined so far (each a region), for the README's measurements. */
    static final java.util.concurrent.atomic.AtomicLong defined = new java.util.concurrent.atomic.AtomicLong();

    /**
     * The block starting at {@code pc} on {@code page} (the page codePage() last returned, so undecoded slots
     * can be decoded), or null when its first instruction is not translatable; then the slot's heat goes to
     * {@link CodePage#NEVER} here, not in the dispatch loop: C2 compiled the loop's test of the result as a trap
     * (never null in its profile) that threw the whole of Interpreter.execute away at the first refusal.
     */
    static Block translate(Mmu mmu, CodePage page, long pc) {
        Region r = Region.form(mmu, page, pc, Region.max);
        if (r == null) {
            page.heat[((int) pc & 0xfff) >>> 1] = CodePage.NEVER;
            return null;
        }
        TranslationCache.Key key = TranslationCache.key(r, (int) pc & 0xfff, page.callOnMiss);
        try {
            TranslationCache.Made made = TranslationCache.find(key);
            if (made == null) {
                made = define(r, (int) pc & 0xfff, page.callOnMiss);
                TranslationCache.put(key, made);
            }
            page.translated();
            return TranslationCache.block(made, page.blocks);
        } catch (Throwable e) {
            throw new IllegalStateException("block translation failed at pc " + Long.toHexString(pc), e);
        }
    }

    /**
     * Generates and defines the class of region {@code r} starting at offset {@code start} of its page; its loads and
     * stores go on after a fast-entry miss when {@code callOnMiss} ({@link CodePage#callOnMiss}), else leave.
     */
    private static TranslationCache.Made define(Region r, int start, boolean callOnMiss) throws IllegalAccessException, NoSuchMethodException {
        int[] exits = new int[1];
        byte[] bytes = CF.build(CD_SELF, cb -> cb
                .withSuperclass(CD_BLOCK)
                .withFlags(ClassFile.ACC_FINAL)
                .withMethodBody(INIT_NAME, INIT, 0, c -> c.aload(0).iload(1).iload(2).aload(3)
                        .invokespecial(CD_BLOCK, INIT_NAME, INIT).return_())
                .withMethodBody("run", RUN, ClassFile.ACC_FINAL, c -> exits[0] = new Gen(c, r, start, callOnMiss).body()));
        MethodHandles.Lookup hidden = LOOKUP.defineHiddenClass(bytes, true);
        defined.incrementAndGet();
        return new TranslationCache.Made(hidden.findConstructor(hidden.lookupClass(),
                MethodType.methodType(void.class, int.class, int.class, Block[].class)), r.count(), exits[0]);
    }


    /** The code generator for one region's {@code run} method. */
    private static final class Gen extends Emitter {
        private final Region r;
        private final Label[] at;
        private final Label exit, trap, top;
        /** Instructions retired since the last point where the retired local was brought up to date. */
        private int pending;
        /** Chainable exits so far (slots of Block.next). */
        private int exits;
        /** The handler around chained calls: adds this block's retired count to the callee's and rethrows. */
        private final Label chainTrap;
        private boolean chained;
        private final int depthMax = Block.chain;
        /** Offset of the region's first instruction in its page: whether an exit leaves the page is a constant. */
        private final int start;
        private final boolean crossPage = Block.crossPage != 0;
        /** Whether calls go on in the region (as Region.form saw it), and the instruction being emitted. */
        private final boolean calls = Block.callsInRegion();
        private int current;

        /** Whether loads and stores go on after a fast-entry miss (CodePage.callOnMiss) instead of leaving. */
        private final boolean callOnMiss;

        Gen(CodeBuilder c, Region r, int start, boolean callOnMiss) {
            super(c);
            this.callOnMiss = callOnMiss;
            this.r = r;
            this.start = start;
            this.at = new Label[r.count()];
            for (int k = 0; k < at.length; k++) if (r.label()[k]) at[k] = c.newLabel();
            this.exit = c.newLabel();
            this.trap = c.newLabel();
            this.top = c.newLabel();
            this.chainTrap = c.newLabel();
        }

        /** Emits the method; returns the number of chainable exits. */
        int body() {
            c.iconst_0().istore(N);
            c.iload(LEFT).loadConstant(r.count()).isub().istore(LIMIT);
            loadRegisters();
            c.labelBinding(top);
            int count = r.count();
            boolean live = true; // false after an unconditional transfer: code there is reached only by a label
            Label[] handlers = new Label[count];
            int[] handlerRetired = new int[count];
            for (int k = 0; k < count; k++) {
                long w = r.ws()[k];
                if (at[k] != null) {
                    flush();
                    c.labelBinding(at[k]);
                }
                if (!live && at[k] == null) throw new IllegalStateException("unreachable instruction in region");
                Label start = c.newBoundLabel();
                int before = pending;
                current = k;
                live = emit(w, k, r.offs()[k]);
                if (Insns.canTrap(op(w))) {
                    handlers[k] = c.newLabel();
                    c.exceptionCatchAll(start, c.newBoundLabel(), handlers[k]);
                    handlerRetired[k] = before;
                }
            }
            if (live) exitTo(r.offs()[count - 1] + len(r.ws()[count - 1]));
            // the shared exit: registers back into the array, the retired count into the interpreter
            c.labelBinding(exit);
            writeBack();
            c.aload(IN).iload(N).putfield(CD_INTERP, "ran", CD_int);
            c.lload(EXIT_PC).lreturn();
            // per-instruction trap handlers, then the shared one
            for (int k = 0; k < count; k++) {
                if (handlers[k] == null) continue;
                c.labelBinding(handlers[k]);
                c.astore(EXC);
                c.aload(IN); pcPlus(r.offs()[k]); c.putfield(CD_INTERP, "trapPc", CD_long);
                c.aload(IN).iload(N).loadConstant(handlerRetired[k]).iadd().putfield(CD_INTERP, "ran", CD_int);
                c.goto_(trap);
            }
            if (java.util.Arrays.stream(handlers).anyMatch(java.util.Objects::nonNull)) {
                c.labelBinding(trap);
                c.aload(IN).aload(0).putfield(CD_INTERP, "trapBlock", CD_BLOCK);
                writeBack();
                c.aload(EXC).athrow();
            }
            if (chained) {
                // a chained successor trapped: it stored its registers (ours were stored before the call)
                c.labelBinding(chainTrap);
                c.astore(EXC);
                addRan();
                c.aload(EXC).athrow();
            }
            return exits;
        }

        /** in.ran += retired (after a chained call). */
        private void addRan() {
            c.aload(IN).dup().getfield(CD_INTERP, "ran", CD_int).iload(N).iadd().putfield(CD_INTERP, "ran", CD_int);
        }

        /** Brings the retired local up to date (before a merge point or an edge). */
        private void flush() {
            if (pending != 0) c.iinc(N, pending);
            pending = 0;
        }

        private void loadRegisters() {
            for (int reg = 1; reg < 32; reg++) {
                if ((r.used() & 1 << reg) != 0) c.aload(X).loadConstant(reg).laload().lstore(local(reg));
            }
        }

        private void writeBack() {
            for (int reg = 1; reg < 32; reg++) {
                if ((r.written() & 1 << reg) != 0) c.aload(X).loadConstant(reg).lload(local(reg)).lastore();
            }
        }

        /**
         * Side exit to pc + off, counting the instructions so far: a chainable exit. When its successor is linked
         * (Block.next) — for a target on another page, linked at this very target pc under the current fetch
         * generation (Block.linkPc, linkGen) — the nesting allows it and a whole pass of it fits in what is left
         * of the budget, the registers are stored back and the successor runs from here; this block then returns
         * what it returns. Otherwise the exit returns to the dispatch loop, saying which exit it was when nothing
         * (valid) is linked.
         */
        private void exitTo(long off) {
            flush();
            long to = start + off;
            boolean samePage = to >= 0 && to < 4096;
            if (depthMax <= 0 || (!samePage && !crossPage)) {
                pcPlus(off);
                c.lstore(EXIT_PC).goto_(exit);
                return;
            }
            int e = exits++;
            Label unlinked = c.newLabel(), plain = c.newLabel();
            // the return address a caller's frame waits for: return to it (Block, "Calls and returns")
            pcPlus(off);
            c.lload(RET).lcmp().ifeq(plain);
            linkedSlot(e, unlinked, samePage, () -> pcPlus(off));
            chainedCall(plain, () -> pcPlus(off));
            unlinked(unlinked, e);
            c.labelBinding(plain);
            pcPlus(off);
            c.lstore(EXIT_PC).goto_(exit);
        }

        /**
         * SUCC = next[e]; on to {@code miss} when nothing is linked there or, for a target on another page
         * ({@code samePage} false), when it was not linked at the pc {@code target} pushes under the current fetch
         * generation ({@link #guard}).
         */
        private void linkedSlot(int e, Label miss, boolean samePage, Runnable target) {
            c.aload(0).getfield(CD_BLOCK, "next", CD_BLOCKS).loadConstant(e).aaload().dup().astore(SUCC);
            c.ifnull(miss);
            if (!samePage) guard(e, miss, target);
        }

        /**
         * For the jalr target in TMP: on to {@code otherPage} when it is on another virtual page than this block's,
         * else SUCC = the block at the target's slot of this code page (Block.page), on to {@code none} when there is none.
         */
        private void pageSlot(Label otherPage, Label none) {
            c.lload(TMP).lload(PC).lxor().loadConstant(12).lushr().lconst_0().lcmp().ifne(otherPage);
            c.aload(0).getfield(CD_BLOCK, "page", CD_BLOCKS).lload(TMP).l2i().loadConstant(0xfff).iand().iconst_1().iushr()
                    .aaload().dup().astore(SUCC);
            c.ifnull(none);
        }

        /** Cross-page link e: on to {@code miss} unless it was linked at the pc {@code target} pushes under the current fetch generation. */
        private void guard(int e, Label miss, Runnable target) {
            c.aload(0).getfield(CD_BLOCK, "linkPc", CD_long.arrayType()).loadConstant(e).laload();
            target.run();
            c.lcmp().ifne(miss);
            c.aload(0).getfield(CD_BLOCK, "linkGen", CD_long.arrayType()).loadConstant(e).laload();
            c.aload(IN).getfield(CD_INTERP, "fetchGen", CD_long).lcmp().ifne(miss);
        }

        /** Binds {@code at}: the exit names slot e (and this block's pc) for the dispatch loop to link. */
        private void unlinked(Label at, int e) {
            c.labelBinding(at);
            c.aload(IN).aload(0).putfield(CD_INTERP, "linkFrom", CD_BLOCK);
            c.aload(IN).loadConstant(e).putfield(CD_INTERP, "linkExit", CD_int);
            c.aload(IN).lload(PC).putfield(CD_INTERP, "linkFromPc", CD_long);
        }

        /**
         * Exit to the pc in TMP (jalr). A target on this block's virtual page is on its code page: the block at the
         * target's slot there (Block.page), when translated, runs from here as after a chainable exit. A target on
         * another page goes through an inline cache of one target, a cross-page link (Block.linkPc, linkGen); on
         * a miss the exit names its slot, so the dispatch loop puts the block it finds there.
         */
        private void exitIndirect() {
            flush();
            if (depthMax <= 0) {
                c.lload(TMP).lstore(EXIT_PC).goto_(exit);
                return;
            }
            Label plain = c.newLabel(), other = c.newLabel();
            // the return address a caller's frame waits for: return to it (Block, "Calls and returns")
            c.lload(TMP).lload(RET).lcmp().ifeq(plain);
            pageSlot(crossPage ? other : plain, plain);
            long w = r.ws()[current];
            int rs1 = rs1(w);
            // neither a call nor a return (unpriv §2.5.1's hints): a jump table's, a computed goto's
            if (calls && rs1 != 1 && rs1 != 5 && !Block.isCall(w)) jumpAndComeBack(plain);
            else chainedCall(plain, () -> c.lload(TMP));
            if (crossPage) {
                int e = exits++;
                Label miss = c.newLabel();
                c.labelBinding(other);
                linkedSlot(e, miss, false, () -> c.lload(TMP));
                chainedCall(plain, () -> c.lload(TMP));
                unlinked(miss, e);
            }
            c.labelBinding(plain);
            c.lload(TMP).lstore(EXIT_PC).goto_(exit);
        }

        /**
         * With the successor in SUCC: when the nesting allows it and a whole pass of it fits, stores the
         * registers back, runs it at the pc {@code target} pushes and returns what it returns; else jumps to
         * {@code plain}.
         */
        private void chainedCall(Label plain, Runnable target) {
            callSucc(plain, target, () -> c.lload(RET));
            addRan();
            c.lload(EXIT_PC).lreturn();
        }

        /**
         * With the successor in SUCC: unless the nesting is at its limit or a whole pass of it does not fit (then on
         * to {@code plain}), stores the registers back and runs it at the pc {@code target} pushes, with the return
         * address {@code ret} pushes; the pc it returns goes to EXIT_PC.
         */
        private void callSucc(Label plain, Runnable target, Runnable ret) {
            c.iload(DEPTH).loadConstant(depthMax).if_icmpge(plain);
            c.aload(SUCC).getfield(CD_BLOCK, "length", CD_int).iload(LEFT).iload(N).isub().if_icmpgt(plain);
            writeBack();
            Label from = c.newBoundLabel();
            c.aload(SUCC).aload(IN).aload(X);
            target.run();
            c.iload(LEFT).iload(N).isub().iload(DEPTH).iconst_1().iadd();
            ret.run();
            c.invokevirtual(CD_BLOCK, "run", RUN);
            c.exceptionCatchAll(from, c.newBoundLabel(), chainTrap);
            chained = true;
            c.lstore(EXIT_PC);
        }

        /**
         * After callSucc: counts what the callee retired; when it returned the pc {@code expected} pushes and N is at
         * most {@code limit} (then the rest of this region's pass fits), reloads the register locals (the callee
         * stored its own) and goes on at {@code goOn}; else returns that pc (x is current: nothing to store).
         */
        private void comeBack(Runnable expected, Runnable limit, Label goOn) {
            Label leave = c.newLabel();
            c.iload(N).aload(IN).getfield(CD_INTERP, "ran", CD_int).iadd().istore(N);
            c.lload(EXIT_PC);
            expected.run();
            c.lcmp().ifne(leave);
            c.iload(N);
            limit.run();
            c.if_icmpgt(leave);
            loadRegisters();
            c.goto_(goOn);
            c.labelBinding(leave);
            c.aload(IN).iload(N).putfield(CD_INTERP, "ran", CD_int);
            c.lload(EXIT_PC).lreturn();
        }

        /**
         * An indirect jump that is not a return (a switch's jump table) to the block in SUCC: run as a call whose
         * return address is this region's start (Block, "Calls and returns"), since a switch's cases jump back to
         * its dispatch; when it comes back there and another whole pass fits, the registers are reloaded and the
         * region goes round again (a JVM loop around the dispatch), else the pc it returned is returned.
         */
        private void jumpAndComeBack(Label plain) {
            callSucc(plain, () -> c.lload(TMP), () -> c.lload(PC));
            comeBack(() -> c.lload(PC), () -> c.iload(LIMIT), top);
        }

        /** Whether instruction k is a call after which the region goes on (Region.form, Block "Calls and returns"). */
        private boolean callInRegion(int k) {
            return calls && k + 1 < r.count() && Block.isCall(r.ws()[k]);
        }

        /**
         * Call k (its target pushed by {@code target}, at {@code targetOff} from the region's start when constant,
         * else in TMP): when the callee's block is known — a constant target's linked slot (Block.next, guarded as
         * a cross-page link when on another page), for jalr the block at the target's slot of this code page — the
         * nesting allows it and a whole pass of it fits, the registers are stored back and it runs as a JVM call
         * with the return address as its {@code ret}. When it comes back with that pc and the rest of this region's
         * pass still fits in the budget, the registers are reloaded (the callee stored its own) and the region goes
         * on with instruction k + 1; otherwise the pc it returned is returned (nothing to store: x is current).
         * Without a callee the call leaves the region like any exit.
         */
        private void callInRegion(int k, Runnable target, boolean constant, long targetOff) {
            flush();
            long retOff = r.offs()[k + 1];
            Label plain = c.newLabel(), goOn = c.newLabel();
            Label unlinked = null;
            int e = -1;
            if (constant) {
                long to = start + targetOff;
                boolean samePage = to >= 0 && to < 4096;
                if (!samePage && !crossPage) {
                    c.goto_(plain);
                } else {
                    e = exits++;
                    unlinked = c.newLabel();
                    linkedSlot(e, unlinked, samePage, target);
                }
            } else {
                Label other = c.newLabel(), found = c.newLabel();
                pageSlot(crossPage ? other : plain, plain);
                if (crossPage) {
                    // another page: an inline cache of one target, as exitIndirect's
                    c.goto_(found);
                    e = exits++;
                    unlinked = c.newLabel();
                    c.labelBinding(other);
                    linkedSlot(e, unlinked, false, target);
                }
                c.labelBinding(found);
            }
            callSucc(plain, target, () -> pcPlus(retOff));
            // at most count - k - 1 instructions run before the next back edge or exit checks the budget again
            comeBack(() -> pcPlus(retOff), () -> c.iload(LEFT).loadConstant(r.count() - k - 1).isub(), goOn);
            if (unlinked != null) unlinked(unlinked, e);
            c.labelBinding(plain);
            target.run();
            c.lstore(EXIT_PC).goto_(exit);
            c.labelBinding(goOn);
        }

        /** A jump to instruction t of the region (the current instruction already counted in pending). */
        private void jumpTo(int t, int from) {
            flush();
            if (t <= from) {
                // back edge: go round again only while a whole pass still fits in the budget
                c.iload(N).iload(LIMIT);
                Label stay = c.newLabel();
                c.if_icmple(stay);
                pcPlus(r.offs()[t]);
                c.lstore(EXIT_PC).goto_(exit);
                c.labelBinding(stay);
            }
            c.goto_(at[t]);
        }

        // ---- the hooks of the generated emitters (Emitter.emit, from rv64gc.insn) ----

        @Override
        boolean jump(int k, long targetOff) {
            pending++;
            if (callInRegion(k)) {
                callInRegion(k, () -> pcPlus(targetOff), true, targetOff);
                return true;
            }
            if (r.target()[k] >= 0) jumpTo(r.target()[k], k);
            else exitTo(targetOff);
            return false;
        }

        @Override
        boolean jumpIndirect() {
            pending++;
            if (callInRegion(current)) {
                callInRegion(current, () -> c.lload(TMP), false, 0);
                return true;
            }
            exitIndirect();
            return false;
        }

        @Override
        boolean branch(int k, long targetOff, Label notTaken) {
            pending++;
            int saved = pending;
            if (r.target()[k] >= 0) jumpTo(r.target()[k], k);
            else exitTo(targetOff);
            c.labelBinding(notTaken);
            pending = saved;
            return true;
        }

        /** LEFT - N - pending: what is left of the budget before the current instruction (a CSR read of the counters). */
        @Override
        void left() {
            c.iload(LEFT).iload(N).isub();
            if (pending != 0) c.loadConstant(pending).isub();
        }

        @Override
        void fregs() {
            c.aload(IN).getfield(CD_INTERP, "f", CD_long.arrayType());
        }

        @Override
        boolean next() {
            pending++;
            return true;
        }

        @Override
        void interpreter() { c.aload(IN); }

        /** Loads and stores call the primitives that leave on a fast-entry miss (Interpreter.ld64Hit, ...). */
        @Override
        String inMethod(String name) {
            return !callOnMiss && name.matches("(ld|st)(8|16|32|64)") ? name + "Hit" : name;
        }

        @Override
        void storeTemp() { c.lstore(TMP); }

        @Override
        void loadTemp() { c.lload(TMP); }

        private static int local(int reg) { return R0 + 2 * (reg - 1); }

        @Override
        void reg(int reg) {
            if (reg == 0) c.lconst_0();
            else c.lload(local(reg));
        }

        /** Stores the long on the stack into rd (32 is the x0 sink, as in the interpreter: dropped). */
        @Override
        void set(int rd) {
            if (rd == 32 || rd == 0) c.pop2();
            else c.lstore(local(rd));
        }

        @Override
        void pcPlus(long k) {
            c.lload(PC);
            if (k != 0) c.loadConstant(k).ladd();
        }
    }
}
