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
/// 0.95 without them, for 10-15 MB more at every size: 10k 146 MB, 1M 192 MB).
enum ProcessMemory {
    static let mappingThreshold: Int32 = 4 << 20
    static let trimThreshold: Int32 = 32 << 20

    /// Applies the settings (idempotent: the first call does the work).
    static let configured: Bool = cmalloc_set_mmap_threshold(mappingThreshold) != 0
        && cmalloc_set_trim_threshold(trimThreshold) != 0
}
