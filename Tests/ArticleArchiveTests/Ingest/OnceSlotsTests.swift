import Synchronization
import Testing
@testable import ArticleArchive

@Suite("Once slots")
struct OnceSlotsTests {
    /// Counts its instances alive, so a test sees what the slots release and when.
    private final class Tracked: Sendable {
        static let alive = Atomic<Int>(0)
        let value: Int
        init(_ value: Int) {
            self.value = value
            Self.alive.add(1, ordering: .relaxed)
        }
        deinit { Self.alive.subtract(1, ordering: .relaxed) }
    }

    @Test("values filled on the workers are taken in order, moved: none is copied or lost")
    func fillAndTake() {
        let slots = OnceSlots<[Int]>(count: 100)
        let workers = WorkerThreads(count: 2)
        defer { workers.stop() }
        _ = workers.map(Array(stride(from: 0, to: 100, by: 7))) { start in
            for index in start..<min(start + 7, 100) { slots.fill(index, with: [index, index * index]) }
        }
        #expect(slots.peek(42) { $0 } == [42, 1764])
        var taken: [[Int]] = []
        for index in 0..<slots.count { taken.append(slots.take(index)) }
        #expect(taken == (0..<100).map { [$0, $0 * $0] })
    }

    @Test("what is left in the slots is released with them, and only that")
    func releasesWhatIsLeft() {
        // Other tests make no `Tracked`, so the count is this test's alone.
        do {
            let slots = OnceSlots<Tracked>(count: 10)
            for index in 0..<10 where index != 3 { slots.fill(index, with: Tracked(index)) }
            #expect(Tracked.alive.load(ordering: .relaxed) == 9)
            let taken = (0..<5).filter { $0 != 3 }.map { slots.take($0) }
            #expect(taken.map(\.value) == [0, 1, 2, 4])
            #expect(Tracked.alive.load(ordering: .relaxed) == 9)
        }
        #expect(Tracked.alive.load(ordering: .relaxed) == 0)
    }
}
