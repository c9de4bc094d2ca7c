#ifndef CMALLOC_SHIM_H
#define CMALLOC_SHIM_H

#if defined(__linux__)
#include <malloc.h>
#endif

/// Makes the C allocator give every allocation of `bytes` or more a mapping of its own, returned to the system when
/// freed, at a fixed threshold. glibc's threshold otherwise rises to the size of the largest such block freed (up to
/// 32 MiB), after which large blocks come from the heap, and the holes they leave when freed are kept. Returns
/// whether the allocator took the setting (false where it is not glibc's).
static inline int cmalloc_set_mmap_threshold(int bytes) {
#if defined(__GLIBC__)
    return mallopt(M_MMAP_THRESHOLD, bytes) == 1;
#else
    (void)bytes;
    return 0;
#endif
}

/// Hands the whole free pages inside the allocator's heaps back to the system (glibc; elsewhere nothing).
static inline void cmalloc_release_free_pages(void) {
#if defined(__GLIBC__)
    malloc_trim(0);
#endif
}

#endif
