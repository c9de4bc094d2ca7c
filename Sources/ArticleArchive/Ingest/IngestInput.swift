/// One thing the user asked to ingest.
public enum IngestInput: Sendable, Equatable {
    /// A text file, a `.jsonl` file, or a folder searched recursively.
    case path(String)
    /// Standard input, read as one text body or, with `IngestOptions.standardInputIsJSONL`, as JSONL.
    case standardInput

    /// Parses a command-line argument: `-` means standard input.
    public init(argument: String) {
        self = argument == "-" ? .standardInput : .path(argument)
    }
}
