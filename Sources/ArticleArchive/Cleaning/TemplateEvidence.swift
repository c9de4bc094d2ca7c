/// Lines of one article that recur across other, different articles of the same source: the site's template.
///
/// Lines are compared by `TemplateLine.hash`, a 64-bit hash that ignores case, spacing and digits.
public struct TemplateEvidence: Sendable, Equatable {
    /// Hashes of the article's lines that are template.
    public var lineHashes: Set<Int64>

    /// Creates evidence; empty means nothing is known about the source.
    public init(lineHashes: Set<Int64> = []) {
        self.lineHashes = lineHashes
    }

    /// Whether the line is part of the source's template.
    func contains(_ line: Substring) -> Bool {
        !lineHashes.isEmpty && lineHashes.contains(TemplateLine.hash(line))
    }
}
