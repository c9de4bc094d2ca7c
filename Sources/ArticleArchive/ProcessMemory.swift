import CMalloc

/// How this process asks the C allocator for memory, set once when the first archive is opened.
///
/// The `archive` executable links jemalloc (with one arena, `Sources/CJemalloc`), which then serves every allocation
/// of the process: with glibc's allocator, malloc and free were about 8% of the ingest's CPU (paired CPU 0.953 with
/// jemalloc at 100k arrivals). The library works with either; with glibc's, the settings below apply.
///
/// Blocks of 4 MiB and more (the filters of large index runs) get mappings of their own and go back to the system
/// when freed. With glibc's moving threshold they came from the heap after the first large one was freed, and each
/// merge of index runs left holes the next, larger, filters did not fit: the heap grew in steps to twice what was in
/// use (measured with `malloc_stats` at 640k arrivals: 101 MB in use, 212 MB held).
///
/// Smaller blocks (a batch's arrays, pack and run buffers, up to a few MB) come from the heap. With every block of
/// 256 KiB and more mapped afresh (the setting before), the kernel zeroed and faulted in every page of each batch's
/// buffers again: page faults were a tenth of the writer's time at 100k arrivals (paired CPU 0.95 with 4 MiB).
///
/// Between batches glibc's free heap pages go back to the system, so what a batch freed does not add to the peak.
/// jemalloc's are left to its own decay (dirty pages unused for 10 s go back): purging them between batches too cost
/// 4% of the CPU (paired at 100k, 0.958 without: the next batch faulted the pages in again, and each purge stopped
/// the other core to flush its TLB) for 10 MB at the peak at every size (`ingest_scale.py`: 10k 153 -> 166 MB,
/// 1M 224 -> 232 MB, x1.40 of 10k instead of x1.46).
enum ProcessMemory {
    static let mappingThreshold: Int32 = 4 << 20

    /// Whether jemalloc serves this process's allocations (it does in the `archive` executable).
    static let usesJemalloc = cmalloc_is_jemalloc() != 0

    /// Applies the setting (idempotent: the first call does the work); false where the allocator is not glibc's.
    static let configured: Bool = !usesJemalloc && cmalloc_set_mmap_threshold(mappingThreshold) != 0

    /// Gives glibc's free heap pages back to the system: called between batches, it keeps what a batch freed from
    /// adding to the peak of the process (100k arrivals: 166 -> 155 MB, at no measurable cost). Under jemalloc it
    /// does nothing (see above).
    static func releaseFreePages() {
        guard !usesJemalloc else { return }
        cmalloc_release_free_pages()
    }
}
