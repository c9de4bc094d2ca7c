#ifndef CPREFETCH_SHIM_H
#define CPREFETCH_SHIM_H

/// Asks the processor to start loading the cache line at `address` for reading, without waiting for it: lookups
/// that each touch one line of a large table (the index runs' Bloom filters) issue them all first, so that the
/// cache misses overlap instead of following one another.
static inline void cprefetch_read(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

#endif
