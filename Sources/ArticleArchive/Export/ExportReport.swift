/// What an export wrote.
public struct ExportReport: Sendable, Equatable {
    /// Articles written.
    public var articles = 0
    /// Bytes of text written.
    public var bytes = 0
    /// Articles that could not be written, each with the reason (a damaged object, say).
    public var failures: [String] = []
}
