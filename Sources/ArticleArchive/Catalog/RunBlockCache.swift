import Synchronization

/// Blocks of sorted runs read lately, kept in memory: lookups of the keys a site's pages share (a teaser list, a
/// line still held by fewer articles than a full key) read the same blocks page after page. Runs never change, so a
/// block is cached by which run it is of (a serial number given when the run is opened) and never goes stale; the
/// oldest block makes way for a new one.
final class RunBlockCache: Sendable {
    private struct State {
        var blocks: [UInt64: [UInt8]] = [:]
        var ring: [UInt64?]
        var next = 0
        var hits = 0
        var misses = 0
    }

    private let state: Mutex<State>
    private static let serials = Atomic<UInt64>(0)

    /// - Parameter capacity: blocks kept (1 KiB each).
    init(capacity: Int) {
        state = Mutex(State(ring: Array(repeating: nil, count: max(1, capacity))))
    }

    /// A number no other run opened by this process has.
    static func newSerial() -> UInt64 {
        serials.wrappingAdd(1, ordering: .relaxed).newValue
    }

    private static func key(run: UInt64, block: Int) -> UInt64 { run << 32 | UInt64(block) }

    /// The bytes of a block, if cached.
    func block(_ block: Int, ofRun run: UInt64) -> [UInt8]? {
        state.withLock { state in
            let found = state.blocks[Self.key(run: run, block: block)]
            if found == nil { state.misses += 1 } else { state.hits += 1 }
            return found
        }
    }

    func remember(_ bytes: [UInt8], block: Int, ofRun run: UInt64) {
        let key = Self.key(run: run, block: block)
        state.withLock { state in
            guard state.blocks.updateValue(bytes, forKey: key) == nil else { return }
            if let evicted = state.ring[state.next] { state.blocks[evicted] = nil }
            state.ring[state.next] = key
            state.next = (state.next + 1) % state.ring.count
        }
    }

    /// Lookups answered from memory and from the file, since the cache was made.
    var counts: (hits: Int, misses: Int) { state.withLock { ($0.hits, $0.misses) } }
}
