// mm.c — physical page allocator: one bit per 4 KiB page, first fit for contiguous runs
// (virtio buffers and ELF segments want physically contiguous memory since the kernel runs
// without translation in M-mode). Kernel malloc is picolibc's, on the heap in link.ld.
#include "kernel.h"

static u64 pool_base;
static size_t pool_pages, free_pages, hint;
static u64 *bitmap;  // 1 = used

static bool used(size_t i) { return (bitmap[i / 64] >> (i % 64)) & 1; }
static void set_used(size_t i, bool u) {
  if (u)
    bitmap[i / 64] |= 1UL << (i % 64);
  else
    bitmap[i / 64] &= ~(1UL << (i % 64));
}

void mm_init(u64 start, u64 end, u64 rsv_start, u64 rsv_end) {
  start = ALIGN_UP(start, PAGE_SIZE);
  end = ALIGN_DOWN(end, PAGE_SIZE);
  size_t n = (end - start) / PAGE_SIZE;
  size_t bm_bytes = ALIGN_UP((n + 63) / 64 * 8, PAGE_SIZE);
  bitmap = (u64 *)start;
  memset(bitmap, 0, bm_bytes);
  pool_base = start + bm_bytes;
  pool_pages = (end - pool_base) / PAGE_SIZE;
  free_pages = pool_pages;
  // reserve the device tree so it stays readable (bootargs point into it)
  if (rsv_end > rsv_start) {
    for (u64 a = ALIGN_DOWN(rsv_start, PAGE_SIZE); a < rsv_end; a += PAGE_SIZE) {
      if (a >= pool_base && a < pool_base + pool_pages * PAGE_SIZE) {
        size_t i = (a - pool_base) / PAGE_SIZE;
        if (!used(i)) set_used(i, true), free_pages--;
      }
    }
  }
}

void *page_alloc_nozero(size_t npages) {
  if (npages == 0 || npages > free_pages) return NULL;
  for (int pass = 0; pass < 2; pass++) {
    size_t run = 0;
    for (size_t i = pass ? 0 : hint; i < pool_pages; i++) {
      if ((bitmap[i / 64] == ~0UL) && (i % 64 == 0)) {
        run = 0;
        i += 63;
        continue;
      }
      if (used(i)) {
        run = 0;
        continue;
      }
      if (++run == npages) {
        size_t first = i + 1 - npages;
        for (size_t j = first; j <= i; j++) set_used(j, true);
        free_pages -= npages;
        hint = i + 1;
        return (void *)(pool_base + first * PAGE_SIZE);
      }
    }
  }
  return NULL;
}

void *page_alloc(size_t npages) {
  void *p = page_alloc_nozero(npages);
  if (p) memset(p, 0, npages * PAGE_SIZE);
  return p;
}

void page_free(void *p, size_t npages) {
  u64 a = (u64)p;
  if (!p) return;
  if (a < pool_base || a % PAGE_SIZE || (a - pool_base) / PAGE_SIZE + npages > pool_pages)
    panic("page_free: bad address %p (%zu pages)", p, npages);
  size_t first = (a - pool_base) / PAGE_SIZE;
  for (size_t j = first; j < first + npages; j++) {
    if (!used(j)) panic("page_free: double free of %lx", (unsigned long)(pool_base + j * PAGE_SIZE));
    set_used(j, false);
  }
  free_pages += npages;
  if (first < hint) hint = first;
}

size_t mm_free_pages(void) { return free_pages; }
size_t mm_total_pages(void) { return pool_pages; }
