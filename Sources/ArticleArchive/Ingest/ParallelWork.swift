import Dispatch

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
