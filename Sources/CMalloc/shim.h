#ifndef CMALLOC_SHIM_H
#define CMALLOC_SHIM_H

#include <stddef.h>
#if defined(__linux__)
#include <dlfcn.h>
#include <malloc.h>
#endif

/// jemalloc's control function, when jemalloc is the process's allocator (the `archive` executable links it), found
/// at run time so that the library works with whichever allocator the program it is part of uses.
typedef int (*cmalloc_mallctl_function)(const char *, void *, size_t *, void *, size_t);

static inline cmalloc_mallctl_function cmalloc_jemalloc_control(void) {
#if defined(__linux__)
    return (cmalloc_mallctl_function)dlsym(RTLD_DEFAULT, "mallctl");
#else
    return NULL;
#endif
}

/// Whether jemalloc is the process's allocator.
static inline int cmalloc_is_jemalloc(void) {
    return cmalloc_jemalloc_control() != NULL;
}

/// Makes the C allocator give every allocation of `bytes` or more a mapping of its own, returned to the system when
/// freed, at a fixed threshold. glibc's threshold otherwise rises to the size of the largest such block freed (up to
/// 32 MiB), after which large blocks come from the heap, and the holes they leave when freed are kept. Returns
/// whether the allocator took the setting (false where it is not glibc's: jemalloc has no such threshold).
static inline int cmalloc_set_mmap_threshold(int bytes) {
    if (cmalloc_is_jemalloc()) {
        (void)bytes;
        return 0;
    }
#if defined(__GLIBC__)
    return mallopt(M_MMAP_THRESHOLD, bytes) == 1;
#else
    (void)bytes;
    return 0;
#endif
}

/// Hands glibc's free heap pages back to the system (under jemalloc, or elsewhere, nothing).
static inline void cmalloc_release_free_pages(void) {
    if (cmalloc_is_jemalloc()) {
        return;
    }
#if defined(__GLIBC__)
    malloc_trim(0);
#endif
}

#endif
