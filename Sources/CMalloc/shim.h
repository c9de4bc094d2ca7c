#ifndef CMALLOC_SHIM_H
#define CMALLOC_SHIM_H

#if defined(__linux__)
#include <dlfcn.h>
#include <malloc.h>
#endif

/// Whether jemalloc is the process's allocator (the `archive` executable links it): found at run time, by its control
/// function, so that the library works with whichever allocator the program it is part of uses.
static inline int cmalloc_is_jemalloc(void) {
#if defined(__linux__)
    return dlsym(RTLD_DEFAULT, "mallctl") != NULL;
#else
    return 0;
#endif
}

/// Makes the C allocator give every allocation of `bytes` or more a mapping of its own, returned to the system when
/// freed, at a fixed threshold. glibc's threshold otherwise rises to the size of the largest such block freed (up to
/// 32 MiB), after which large blocks come from the heap, and the holes they leave when freed are kept. Returns
/// whether the allocator took the setting. glibc's alone: the caller does not call it under jemalloc, which has no such
/// threshold (and whose `mallopt` would be glibc's, acting on a heap nothing uses).
static inline int cmalloc_set_mmap_threshold(int bytes) {
#if defined(__GLIBC__)
    return mallopt(M_MMAP_THRESHOLD, bytes) == 1;
#else
    (void)bytes;
    return 0;
#endif
}

/// Hands glibc's free heap pages back to the system (elsewhere nothing). glibc's alone, as above.
static inline void cmalloc_release_free_pages(void) {
#if defined(__GLIBC__)
    malloc_trim(0);
#endif
}

#endif
