import Dispatch
import Foundation

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
