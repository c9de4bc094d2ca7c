import Synchronization

/// Blocks of sorted runs read lately, kept in memory: lookups of the keys a site's pages share (a teaser list, a
/// line still held by fewer articles than a full key) read the same blocks page after page. Runs never change, so a
/// block is cached by which run it is of (a serial number given when the run is opened) and never goes stale.
///
/// Direct-mapped: a block has one slot, which a newer block of another place takes over. A lookup is a multiply and
/// a compare under a lock, where a dictionary spent more on hashing than the lookups it saved.
final class RunBlockCache: Sendable {
    private struct Slot {
        var key: UInt64 = .max
        var bytes: [UInt8] = []
    }

    private struct State {
        var slots: [Slot]
        var hits = 0
        var misses = 0
    }

    private let state: Mutex<State>
    private let shift: UInt64
    private static let serials = Atomic<UInt64>(0)

    /// - Parameter capacity: blocks kept (1 KiB each), rounded up to a power of two.
    init(capacity: Int) {
        var bits = 1
        while 1 << bits < capacity { bits += 1 }
        shift = UInt64(64 - bits)
        state = Mutex(State(slots: Array(repeating: Slot(), count: 1 << bits)))
    }

    /// A number no other run opened by this process has.
    static func newSerial() -> UInt64 {
        serials.wrappingAdd(1, ordering: .relaxed).newValue
    }

    private static func key(run: UInt64, block: Int) -> UInt64 { run << 32 | UInt64(block) }

    @inline(__always)
    private func slot(_ key: UInt64) -> Int { Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift) }

    /// The bytes of a block, if cached.
    func block(_ block: Int, ofRun run: UInt64) -> [UInt8]? {
        let key = Self.key(run: run, block: block)
        let slot = slot(key)
        return state.withLock { state in
            guard state.slots[slot].key == key else {
                state.misses += 1
                return nil
            }
            state.hits += 1
            return state.slots[slot].bytes
        }
    }

    func remember(_ bytes: [UInt8], block: Int, ofRun run: UInt64) {
        let key = Self.key(run: run, block: block)
        let slot = slot(key)
        state.withLock { $0.slots[slot] = Slot(key: key, bytes: bytes) }
    }

    /// Lookups answered from memory and from the file, since the cache was made.
    var counts: (hits: Int, misses: Int) { state.withLock { ($0.hits, $0.misses) } }
}
