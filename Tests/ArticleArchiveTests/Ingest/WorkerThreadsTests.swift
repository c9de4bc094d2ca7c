#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import ArticleArchive

@Suite("Worker threads")
struct WorkerThreadsTests {
    @Test("maps keep the order of their inputs, one after another, on threads of a lower priority")
    func mapsInOrder() {
        let workers = WorkerThreads(count: 3)
        defer { workers.stop() }
        for size in [0, 1, 2, 7, 1000] {
            let inputs = Array(0..<size)
            #expect(workers.map(inputs) { $0 * $0 + 1 } == inputs.map { $0 * $0 + 1 })
        }
        #if os(Linux)
        let which = __priority_which_t(PRIO_PROCESS.rawValue)
        let own = getpriority(which, 0)
        let seen = workers.map(Array(0..<8)) { _ in getpriority(which, 0) }
        #expect(seen.allSatisfy { $0 == min(19, own + WorkerThreads.niceIncrement) })
        #endif
    }
}
