import Synchronization

/// Blocks of sorted runs read lately, kept in memory: lookups of the keys a site's pages share (a teaser list, a
/// line still held by fewer articles than a full key) read the same blocks page after page. Runs never change, so a
/// block is cached by which run it is of (a serial number given when the run is opened) and never goes stale.
///
/// Direct-mapped: a block has one slot, which a newer block of another place takes over. A lookup is a multiply, a
/// compare and a copy under a lock, where a dictionary spent more on hashing than the lookups it saved. The slots are
/// one allocation made up front: a block read from a file costs no allocation (at a million articles, an array per
/// block read and another freed per eviction were a sixth of the lookups' time, and scattered the heap).
final class RunBlockCache: Sendable {
    /// The bytes a slot holds: a whole block.
    static let slotBytes = SortedRun.recordsPerBlock * SortedRun.recordSize

    private struct State {
        /// Which block each slot holds (`UInt64.max`: none).
        var keys: [UInt64]
        /// How many bytes each slot holds (a run's last block may be short).
        var lengths: [Int32]
        var hits = 0
        var misses = 0
    }

    private let state: Mutex<State>
    /// The slots' bytes, `slotBytes` each: read and written only under `state`'s lock.
    nonisolated(unsafe) private let slots: UnsafeMutableRawPointer
    private let shift: UInt64
    private static let serials = Atomic<UInt64>(0)

    /// - Parameter capacity: blocks kept (1 KiB each), rounded up to a power of two.
    init(capacity: Int) {
        var bits = 1
        while 1 << bits < capacity { bits += 1 }
        shift = UInt64(64 - bits)
        let count = 1 << bits
        state = Mutex(State(keys: Array(repeating: .max, count: count), lengths: Array(repeating: 0, count: count)))
        slots = .allocate(byteCount: count * Self.slotBytes, alignment: 16)
    }

    deinit { slots.deallocate() }

    /// A number no other run opened by this process has.
    static func newSerial() -> UInt64 {
        serials.wrappingAdd(1, ordering: .relaxed).newValue
    }

    private static func key(run: UInt64, block: Int) -> UInt64 { run << 32 | UInt64(block) }

    @inline(__always)
    private func slot(_ key: UInt64) -> Int { Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift) }

    /// Copies a cached block into `buffer` (at least `slotBytes` long) and returns its length, or `nil` if the block
    /// is not cached.
    func copyBlock(_ block: Int, ofRun run: UInt64, into buffer: UnsafeMutableRawBufferPointer) -> Int? {
        let key = Self.key(run: run, block: block)
        let slot = slot(key)
        return state.withLock { state -> Int? in
            guard state.keys[slot] == key else {
                state.misses += 1
                return nil
            }
            state.hits += 1
            let length = Int(state.lengths[slot])
            buffer.baseAddress!.copyMemory(from: slots + slot * Self.slotBytes, byteCount: length)
            return length
        }
    }

    /// Keeps a block's bytes (at most `slotBytes`), in place of the slot's previous block.
    func remember(_ bytes: UnsafeRawBufferPointer, block: Int, ofRun run: UInt64) {
        precondition(bytes.count <= Self.slotBytes, "a block larger than a cache slot")
        let key = Self.key(run: run, block: block)
        let slot = slot(key)
        state.withLock { state in
            state.keys[slot] = key
            state.lengths[slot] = Int32(bytes.count)
            if let base = bytes.baseAddress {
                (slots + slot * Self.slotBytes).copyMemory(from: base, byteCount: bytes.count)
            }
        }
    }

    /// Lookups answered from memory and from the file, since the cache was made.
    var counts: (hits: Int, misses: Int) { state.withLock { ($0.hits, $0.misses) } }
}
