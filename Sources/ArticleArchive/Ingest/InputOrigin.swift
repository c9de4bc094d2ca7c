/// Where one input unit came from: a file, one line of a JSONL file, or standard input.
public struct InputOrigin: Codable, Sendable, Equatable, CustomStringConvertible {
    /// The kind of input.
    public enum Kind: String, Codable, Sendable {
        case file, jsonl, stdin
    }

    /// The kind of input.
    public var kind: Kind
    /// The file path as given (absent for standard input).
    public var path: String?
    /// The 1-based line number within a JSONL input.
    public var line: Int?

    /// Creates an origin.
    public init(kind: Kind, path: String?, line: Int? = nil) {
        self.kind = kind
        self.path = path
        self.line = line
    }

    /// `path`, `path:line` or `<stdin>` (`<stdin>:line` for JSONL on standard input).
    public var description: String {
        let name = path ?? "<stdin>"
        return line.map { "\(name):\($0)" } ?? name
    }
}
