#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Threads of their own for one stage of a pipeline, run at a lower priority than the rest of the process.
///
/// An ingest prepares batch k on every core while one writer records batch k-1: three threads for two cores, and
/// the writer is what the ingest waits for. With the preparing threads a few nice levels down, the writer is served
/// first whenever it can run and they take what it leaves (100k articles, paired runs: 44.5 -> 40.4 s and 42.6 ->
/// 43.0 s, medians of 3 and of 2; 5-7% less CPU in both). Only these threads are lowered: the writer and the caller
/// keep their priority (an unprivileged process could not raise a thread's priority back).
final class WorkerThreads: @unchecked Sendable {
    /// The nice increment of the threads (Linux: per thread; elsewhere they run at the process's priority).
    static let niceIncrement: Int32 = 5

    private let lock = NSCondition()
    // Guarded by `lock`: the job being run, its number of iterations, the next one to take, how many are done.
    private var job: ((Int) -> Void)?
    private var iterations = 0
    private var nextIndex = 0
    private var finishedIterations = 0
    private var stopping = false
    private var running = 0

    /// Starts `count` threads (at least one); `stop()` ends them.
    init(count: Int) {
        running = max(1, count)
        for _ in 0..<running {
            let thread = Thread { self.serve() }
            thread.name = "archive-worker"
            thread.start()
        }
    }

    /// Stops the threads once they are idle.
    func stop() {
        lock.lock()
        stopping = true
        lock.broadcast()
        while running > 0 { lock.wait() }
        lock.unlock()
    }

    /// `inputs.map(work)`, computed on the threads; results keep the order of `inputs`. One map at a time.
    func map<Input: Sendable, Output: Sendable>(_ inputs: [Input], _ work: @Sendable (Input) -> Output) -> [Output] {
        guard !inputs.isEmpty else { return [] }
        return ParallelWork.map(inputs, work) { count, iteration in
            withoutActuallyEscaping(iteration) { run(iterations: count, $0) }
        }
    }

    private func run(iterations count: Int, _ body: @escaping (Int) -> Void) {
        lock.lock()
        job = body
        iterations = count
        nextIndex = 0
        finishedIterations = 0
        lock.broadcast()
        while finishedIterations < count { lock.wait() }
        job = nil
        lock.unlock()
    }

    private func serve() {
        #if os(Linux)
        // On Linux the nice value is per thread, and `setpriority(PRIO_PROCESS, 0, _)` sets the calling one's.
        let which = __priority_which_t(PRIO_PROCESS.rawValue)
        setpriority(which, 0, getpriority(which, 0) + Self.niceIncrement)
        #endif
        lock.lock()
        while true {
            while !stopping && (job == nil || nextIndex >= iterations) { lock.wait() }
            if stopping { break }
            let body = job!
            let index = nextIndex
            nextIndex += 1
            lock.unlock()
            body(index)
            lock.lock()
            finishedIterations += 1
            if finishedIterations == iterations { lock.broadcast() }
        }
        running -= 1
        lock.broadcast()
        lock.unlock()
    }
}
