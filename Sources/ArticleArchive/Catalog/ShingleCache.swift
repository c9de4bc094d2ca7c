import Synchronization

/// The shingle sets of the articles indexed most recently, by cleaned object: verifying a candidate pair then needs
/// no read of a text indexed moments ago (republications of a story tend to arrive close together). Keys are
/// content addresses, so an entry can never be stale; the oldest entry makes way for a new one.
final class ShingleCache: Sendable {
    private struct State {
        var shingles: [ObjectID: CompactShingles] = [:]
        var ring: [ObjectID?]
        var next = 0
    }

    private let state: Mutex<State>

    init(capacity: Int) {
        state = Mutex(State(ring: Array(repeating: nil, count: max(1, capacity))))
    }

    func shingles(of object: ObjectID) -> CompactShingles? {
        state.withLock { $0.shingles[object] }
    }

    func remember(_ shingles: CompactShingles, of object: ObjectID) {
        state.withLock { state in
            guard state.shingles.updateValue(shingles, forKey: object) == nil else { return }
            if let evicted = state.ring[state.next] { state.shingles[evicted] = nil }
            state.ring[state.next] = object
            state.next = (state.next + 1) % state.ring.count
        }
    }
}
