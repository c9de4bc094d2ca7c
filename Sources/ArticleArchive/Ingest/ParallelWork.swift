import Dispatch
import Foundation

/// Runs independent pieces of CPU work on every core.
enum ParallelWork {
    /// `inputs.map(work)`, computed in parallel; results keep the order of `inputs`.
    static func map<Input: Sendable, Output: Sendable>(
        _ inputs: [Input], _ work: @Sendable (Input) -> Output
    ) -> [Output] {
        guard inputs.count > 1 else { return inputs.map(work) }
        return map(inputs, work) { count, iteration in DispatchQueue.concurrentPerform(iterations: count, execute: iteration) }
    }

    /// `inputs.map(work)`, with the iterations run by `perform` (which calls its second argument once for each
    /// index below its first, in parallel, and returns when all are done); results keep the order of `inputs`.
    static func map<Input: Sendable, Output: Sendable>(
        _ inputs: [Input], _ work: @Sendable (Input) -> Output,
        performing perform: (Int, @Sendable (Int) -> Void) -> Void
    ) -> [Output] {
        inputs.withUnsafeBufferPointer { inputs in
            Array(unsafeUninitializedCapacity: inputs.count) { results, initialized in
                // Each iteration reads its own input and initializes its own result: no two touch the same memory.
                let memory = Memory(inputs: inputs, results: results.baseAddress!)
                withoutActuallyEscaping(work) { work in
                    perform(inputs.count) { index in (memory.results + index).initialize(to: work(memory.inputs[index])) }
                }
                initialized = inputs.count
            }
        }
    }

    private struct Memory<Input, Output>: @unchecked Sendable {
        let inputs: UnsafeBufferPointer<Input>
        let results: UnsafeMutablePointer<Output>
    }
}

/// Work started on a background thread, whose result (or error) is collected later.
final class BackgroundWork<Result: Sendable>: @unchecked Sendable {
    private let finished = DispatchSemaphore(value: 0)
    // Written once by the worker before `finished` is signalled, read only after waiting on it.
    private var outcome: Swift.Result<Result, any Error>?

    /// - Parameter ownThread: run on a thread of its own rather than one of Dispatch's: for long work that must not
    ///   hold up other work started here. Dispatch runs as many busy blocks at once as there are cores (on 2 cores,
    ///   the third and fourth of four started when the first two ended).
    init(ownThread: Bool = false, _ work: @escaping @Sendable () throws -> Result) {
        let run: @Sendable () -> Void = {
            self.outcome = Swift.Result(catching: work)
            self.finished.signal()
        }
        if ownThread {
            Thread(block: run).start()
        } else {
            DispatchQueue.global().async(execute: run)
        }
    }

    /// Whether the work is done (`wait()` then returns at once).
    var isFinished: Bool {
        guard finished.wait(timeout: .now()) == .success else { return false }
        finished.signal()
        return true
    }

    /// Waits for the work to finish and returns its result, or throws its error.
    func wait() throws -> Result {
        finished.wait()
        finished.signal()  // later waits return at once
        return try outcome!.get()
    }
}
