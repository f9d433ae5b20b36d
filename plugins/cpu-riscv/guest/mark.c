/*
 * The suite's CoreMark-like mix ("mark", scripts/bench-cpu), our own code in the spirit of that benchmark:
 * a linked list (build, merge sort, reverse, search), a small 16-bit matrix kernel, a text-classifying state
 * machine, and a CRC-16 over every partial result. Pointer chasing, short data-dependent branches, switch
 * dispatch and 16/32-bit arithmetic. One round is about 1.4 million instructions.
 */
#include "suite.h"

static u64 seed = 0x9e3779b97f4a7c15UL;
static u32 rnd(void) { seed ^= seed << 13; seed ^= seed >> 7; seed ^= seed << 17; return (u32)(seed >> 16); }

static u32 crc16(u32 crc, u32 v, int bytes) {
    for (int b = 0; b < bytes; b++) {
        crc ^= (v >> (8 * b)) & 0xff;
        for (int k = 0; k < 8; k++) crc = (crc >> 1) ^ (0xa001u & (0u - (crc & 1)));
    }
    return crc & 0xffff;
}

/* ---- list ---- */
struct node { struct node *next; i32 key; i32 val; };
#define NODES 400
static struct node pool[NODES];

static struct node *merge(struct node *a, struct node *b) {
    struct node head, *t = &head;
    while (a && b) {
        if (a->key <= b->key) { t->next = a; a = a->next; } else { t->next = b; b = b->next; }
        t = t->next;
    }
    t->next = a ? a : b;
    return head.next;
}

static struct node *msort(struct node *l) {
    if (!l || !l->next) return l;
    struct node *slow = l, *fast = l->next;
    while (fast && fast->next) { slow = slow->next; fast = fast->next->next; }
    struct node *r = slow->next;
    slow->next = 0;
    return merge(msort(l), msort(r));
}

static u32 list_work(u32 crc) {
    struct node *l = 0;
    for (int i = 0; i < NODES; i++) {
        pool[i].key = (i32)(rnd() & 0x3ff) - 512;
        pool[i].val = (i32)i;
        pool[i].next = l;
        l = &pool[i];
    }
    l = msort(l);
    for (struct node *p = l; p; p = p->next) crc = crc16(crc, (u32)p->key, 2);
    struct node *rev = 0;
    while (l) { struct node *n = l->next; l->next = rev; rev = l; l = n; }
    for (int q = 0; q < 40; q++) {
        i32 want = (i32)(rnd() & 0x3ff) - 512;
        int pos = 0;
        struct node *p = rev;
        while (p && p->key != want) { p = p->next; pos++; }
        crc = crc16(crc, p ? (u32)(pos << 8 | (p->val & 0xff)) : 0xffffu, 2);
    }
    return crc;
}

/* ---- matrix ---- */
#define MN 20
static short ma[MN][MN], mb[MN][MN];
static int mc[MN][MN];

static u32 matrix_work(u32 crc) {
    for (int i = 0; i < MN; i++)
        for (int j = 0; j < MN; j++) { ma[i][j] = (short)(rnd() & 0xfff); mb[i][j] = (short)((rnd() & 0xfff) - 0x800); }
    short k = (short)(rnd() & 0xff);
    for (int i = 0; i < MN; i++) for (int j = 0; j < MN; j++) ma[i][j] = (short)(ma[i][j] + k);
    for (int i = 0; i < MN; i++)
        for (int j = 0; j < MN; j++) {
            int s = 0;
            for (int t = 0; t < MN; t++) s += ma[i][t] * mb[t][j];
            mc[i][j] = s;
        }
    u32 bits = 0;
    for (int i = 0; i < MN; i++)
        for (int j = 0; j < MN; j++) {
            int v = mc[i][j] * (int)k;
            bits += (u32)((v >> 2) & 0xf) * (u32)(((v >> 5) & 0x7f) + 1);
        }
    return crc16(crc, bits, 4);
}

/* ---- state machine: classify tokens of a generated text ---- */
enum { START, INT, FRAC, EXP_SIGN, EXP, HEX0, HEX, BAD, NSTATES };
static char text[2048];
static u32 counts[NSTATES];

static void make_text(void) {
    static const char alphabet[] = "0123456789.e+-xAbZ ,";
    for (unsigned i = 0; i < sizeof text - 1; i++) {
        u32 r = rnd();
        text[i] = (r & 7) == 0 ? ',' : alphabet[r % (sizeof alphabet - 1)];
    }
    text[sizeof text - 1] = 0;
}

static int step(int s, char c) {
    int digit = c >= '0' && c <= '9';
    switch (s) {
        case START: return c == '0' ? HEX0 : digit ? INT : c == '.' ? FRAC : BAD;
        case INT: return digit ? INT : c == '.' ? FRAC : c == 'e' ? EXP_SIGN : BAD;
        case FRAC: return digit ? FRAC : c == 'e' ? EXP_SIGN : BAD;
        case EXP_SIGN: return digit || c == '+' || c == '-' ? EXP : BAD;
        case EXP: return digit ? EXP : BAD;
        case HEX0: return c == 'x' ? HEX : digit ? INT : c == '.' ? FRAC : BAD;
        case HEX: return digit || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f') ? HEX : BAD;
        default: return BAD;
    }
}

static u32 state_work(u32 crc) {
    make_text();
    for (int i = 0; i < NSTATES; i++) counts[i] = 0;
    int s = START;
    for (const char *p = text; *p; p++) {
        if (*p == ',' || *p == ' ') { counts[s]++; s = START; continue; }
        s = step(s, *p);
    }
    counts[s]++;
    for (int i = 0; i < NSTATES; i++) crc = crc16(crc, counts[i], 2);
    return crc;
}

static u64 round_(u64 r) {
    u32 crc = (u32)r & 0xffff;
    crc = list_work(crc);
    crc = matrix_work(crc);
    crc = state_work(crc);
    return crc;
}

int main(long hart, const unsigned char *fdt) {
    (void)hart;
    return suite_run("mark", fdt, 500, 2000, round_);
}
