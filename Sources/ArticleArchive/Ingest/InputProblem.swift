/// Why one input unit (a file, a JSONL line, standard input) was rejected. The rest of the batch goes on.
public struct InputProblem: Error, Sendable, Equatable, CustomStringConvertible {
    /// The rejected input.
    public var origin: InputOrigin
    /// What is wrong with it, in words a user can act on.
    public var message: String

    /// Creates a problem report.
    public init(origin: InputOrigin, message: String) {
        self.origin = origin
        self.message = message
    }

    /// `origin: message`.
    public var description: String { "\(origin): \(message)" }
}
