import CMalloc

/// How this process asks the C allocator for memory, set once when the first archive is opened.
///
/// Blocks of 4 MiB and more (the filters of large index runs) get mappings of their own and go back to the system
/// when freed. With glibc's moving threshold they came from the heap after the first large one was freed, and each
/// merge of index runs left holes the next, larger, filters did not fit: the heap grew in steps to twice what was in
/// use (measured with `malloc_stats` at 640k arrivals: 101 MB in use, 212 MB held).
///
/// Smaller blocks (a batch's arrays, pack and run buffers, up to a few MB) come from the heap, and the heap keeps up
/// to `trimThreshold` free at its top: each batch reuses what the one before freed. Mapping those blocks afresh,
/// and handing the heap's free pages back after every batch, had the kernel zero and fault in every page of them
/// again (page faults and the `madvise` of the trim were a tenth of the writer's time at 100k arrivals; paired CPU
/// 0.95 without them). The free pages go back only when the heaps (one per thread that allocates) hold more than
/// `heldFreeBytes` free between them (on both cores: 10k arrivals 142 MB, 1M 205 MB, where never trimming reached
/// 235 MB at 1M).
enum ProcessMemory {
    static let mappingThreshold: Int32 = 4 << 20
    static let trimThreshold: Int32 = 32 << 20

    /// Free memory the heaps may hold before `releaseFreePagesIfMany()` gives it back.
    static let heldFreeBytes = 24 << 20

    /// Applies the settings (idempotent: the first call does the work).
    static let configured: Bool = cmalloc_set_mmap_threshold(mappingThreshold) != 0
        && cmalloc_set_trim_threshold(trimThreshold) != 0

    /// Gives the heaps' free pages back to the system when they hold more than `heldFreeBytes` free: called between
    /// batches, it keeps what the heaps of several threads hold from adding up (a million arrivals on both cores
    /// peaked at 235 MB without it), without faulting in a batch's memory again after every batch.
    static func releaseFreePagesIfMany() {
        if cmalloc_free_bytes() > heldFreeBytes { cmalloc_release_free_pages() }
    }
}
