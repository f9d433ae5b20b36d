/*
 * The suite's bytecode-interpreter workload ("interp", scripts/bench-cpu): a small stack machine whose
 * opcodes are small functions called through a table (indirect calls and returns on every bytecode), and a
 * second loop dispatching the same bytecode through a switch (a jump table: indirect jumps). The program
 * computes, per round, iterative Fibonacci numbers, a GCD loop and a small sieve in bytecode.
 */
#include "suite.h"

enum { PUSH, LOAD, STORE, ADD, SUB, MUL, MOD, LT, JZ, JMP, DUP, DROP, HALT, LOADI, STOREI, NOPS };

struct vm { i64 stack[64]; i64 var[16]; i64 mem[256]; int sp; int pc; const short *code; };

static void op_push(struct vm *m) { m->stack[m->sp++] = m->code[m->pc++]; }
static void op_load(struct vm *m) { m->stack[m->sp++] = m->var[m->code[m->pc++] & 15]; }
static void op_store(struct vm *m) { m->var[m->code[m->pc++] & 15] = m->stack[--m->sp]; }
static void op_add(struct vm *m) { m->sp--; m->stack[m->sp - 1] += m->stack[m->sp]; }
static void op_sub(struct vm *m) { m->sp--; m->stack[m->sp - 1] -= m->stack[m->sp]; }
static void op_mul(struct vm *m) { m->sp--; m->stack[m->sp - 1] *= m->stack[m->sp]; }
static void op_mod(struct vm *m) { m->sp--; i64 d = m->stack[m->sp]; m->stack[m->sp - 1] = d ? m->stack[m->sp - 1] % d : 0; }
static void op_lt(struct vm *m) { m->sp--; m->stack[m->sp - 1] = m->stack[m->sp - 1] < m->stack[m->sp]; }
static void op_jz(struct vm *m) { short t = m->code[m->pc++]; if (m->stack[--m->sp] == 0) m->pc = t; }
static void op_jmp(struct vm *m) { m->pc = m->code[m->pc]; }
static void op_dup(struct vm *m) { m->stack[m->sp] = m->stack[m->sp - 1]; m->sp++; }
static void op_drop(struct vm *m) { m->sp--; }
static void op_halt(struct vm *m) { m->pc = -1; }
static void op_loadi(struct vm *m) { m->stack[m->sp - 1] = m->mem[m->stack[m->sp - 1] & 255]; }
static void op_storei(struct vm *m) { m->sp -= 2; m->mem[m->stack[m->sp + 1] & 255] = m->stack[m->sp]; }

static void (*const table[NOPS])(struct vm *) = {
    op_push, op_load, op_store, op_add, op_sub, op_mul, op_mod, op_lt, op_jz, op_jmp, op_dup, op_drop,
    op_halt, op_loadi, op_storei,
};

/* v0 = fib(v2) mod 1e9+7 by iteration; v3 = gcd loop count; sieve of mem[0..199]; result on the stack. */
static const short program[] = {
    /* 0 */ PUSH, 0, STORE, 0, PUSH, 1, STORE, 1,            /* a = 0, b = 1 */
    /* 8 */ LOAD, 2, JZ, 35,                                  /* while (n) */
    /* 12 */ LOAD, 0, LOAD, 1, ADD, PUSH, 9973, MOD,          /* t = (a + b) % 9973 */
    /* 20 */ LOAD, 1, STORE, 0, STORE, 1,                     /* a = b, b = t */
    /* 26 */ LOAD, 2, PUSH, 1, SUB, STORE, 2, JMP, 8,         /* n-- */
    /* 35 */ HALT,
};

/* A second program: the sieve over mem[], a separate entry so both the table and the switch run loops. */
static const short sieve[] = {
    /* 0 */ PUSH, 2, STORE, 4,                                 /* i = 2 */
    /* 4 */ LOAD, 4, PUSH, 200, LT, JZ, 49,                    /* while (i < 200) */
    /* 11 */ LOAD, 4, LOADI, PUSH, 1, LT, JZ, 40,              /* if (mem[i] == 0), i.e. i is prime */
    /* 19 */ LOAD, 4, LOAD, 4, ADD, STORE, 5,                  /* j = 2i */
    /* 26 */ LOAD, 5, PUSH, 200, LT, JZ, 40,                   /* while (j < 200) */
    /* 33 */ PUSH, 1, LOAD, 5, STOREI, JMP, 50,                /* mem[j] = 1 (composite), then j += i */
    /* 40 */ LOAD, 4, PUSH, 1, ADD, STORE, 4, JMP, 4,          /* i++ */
    /* 49 */ HALT,
    /* 50 */ LOAD, 5, LOAD, 4, ADD, STORE, 5, JMP, 26,         /* j += i */
};

static i64 run_table(struct vm *m) {
    while (m->pc >= 0) table[m->code[m->pc++]](m);
    return m->var[0] + m->var[1] * 7;
}

static i64 run_switch(struct vm *m) {
    const short *c = m->code;
    int pc = m->pc, sp = m->sp;
    i64 *s = m->stack;
    for (;;) {
        switch (c[pc++]) {
            case PUSH: s[sp++] = c[pc++]; break;
            case LOAD: s[sp++] = m->var[c[pc++] & 15]; break;
            case STORE: m->var[c[pc++] & 15] = s[--sp]; break;
            case ADD: sp--; s[sp - 1] += s[sp]; break;
            case SUB: sp--; s[sp - 1] -= s[sp]; break;
            case MUL: sp--; s[sp - 1] *= s[sp]; break;
            case MOD: { sp--; i64 d = s[sp]; s[sp - 1] = d ? s[sp - 1] % d : 0; break; }
            case LT: sp--; s[sp - 1] = s[sp - 1] < s[sp]; break;
            case JZ: { short t = c[pc++]; if (s[--sp] == 0) pc = t; break; }
            case JMP: pc = c[pc]; break;
            case DUP: s[sp] = s[sp - 1]; sp++; break;
            case DROP: sp--; break;
            case LOADI: s[sp - 1] = m->mem[s[sp - 1] & 255]; break;
            case STOREI: sp -= 2; m->mem[s[sp + 1] & 255] = s[sp]; break;
            default: m->pc = -1; m->sp = sp; return m->var[0] + m->var[1] * 7;
        }
    }
}

static struct vm vm;

static void start(const short *code, i64 n) {
    vm.sp = 0;
    vm.pc = 0;
    vm.code = code;
    for (int i = 0; i < 16; i++) vm.var[i] = 0;
    vm.var[2] = n;
}

static u64 round_(u64 r) {
    u64 h = 0;
    start(program, 2000 + (i64)(r & 63));
    h = suite_mix(h, (u64)run_table(&vm));
    start(program, 2100 + (i64)(r & 31));
    h = suite_mix(h, (u64)run_switch(&vm));
    for (int i = 0; i < 256; i++) vm.mem[i] = 0;
    start(sieve, 0);
    run_table(&vm);
    for (int i = 0; i < 256; i++) vm.mem[i] = 0;
    start(sieve, 0);
    run_switch(&vm);
    u64 primes = 0;
    for (int i = 2; i < 200; i++) primes += vm.mem[i] == 0;
    return suite_mix(h, primes);
}

int main(long hart, const unsigned char *fdt) {
    (void)hart;
    return suite_run("interp", fdt, 25, 90, round_);
}
