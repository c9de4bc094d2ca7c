/// Lines of one article that recur across other, different articles of the same source: the site's template.
///
/// Lines are compared by `TemplateLine.hash`, a 64-bit hash that ignores case, spacing and digits.
public struct TemplateEvidence: Sendable, Equatable {
    /// Hashes of the article's lines that are template.
    public var lineHashes: Set<Int64> {
        get { Set(sorted) }
        set { sorted = newValue.sorted() }
    }

    /// `lineHashes` in order, for lookups without hashing: the evidence is held as this alone (the ingest finds it
    /// for every page, and building a set to sort it cost more than finding it).
    private var sorted: [Int64]

    /// The `TemplateLine.hash` of each line of the text the evidence was found for, by line number, as
    /// `TemplateLine.lines(of:)` gives them, and that text's length in UTF-8 bytes: the cleaner takes a line's
    /// hash from here instead of hashing the line again.
    private var lineHashesOfText: (hashes: [Int64], utf8Count: Int)?

    /// Creates evidence; empty means nothing is known about the source.
    public init(lineHashes: Set<Int64> = []) {
        sorted = lineHashes.sorted()
    }

    /// Evidence of these hashes, which are distinct.
    init(distinctLineHashes: [Int64]) {
        sorted = distinctLineHashes.sorted()
    }

    /// Keeps the hashes of the lines of the text the evidence is for (by line number, as `TemplateLine.lines(of:)`
    /// gives them), and the text's length in UTF-8 bytes.
    mutating func keepLineHashes(_ hashesByLine: [Int64], ofTextOfLength utf8Count: Int) {
        lineHashesOfText = (hashesByLine, utf8Count)
    }

    /// The `TemplateLine.hash` of line `number` of a text of `utf8Count` bytes, if the evidence was found for
    /// that text.
    func hash(ofLine number: Int, utf8Count: Int) -> Int64? {
        guard let known = lineHashesOfText, known.utf8Count == utf8Count, number < known.hashes.count else {
            return nil
        }
        return known.hashes[number]
    }

    /// Whether nothing is known to be template.
    var isEmpty: Bool { sorted.isEmpty }

    /// Whether the line is part of the source's template.
    func contains(_ line: Substring) -> Bool {
        !sorted.isEmpty && contains(hash: TemplateLine.hash(line))
    }

    /// Whether the line with this `TemplateLine.hash` is part of the source's template.
    func contains(hash: Int64) -> Bool {
        var low = 0, high = sorted.count
        while low < high {
            let middle = (low + high) / 2
            if sorted[middle] < hash { low = middle + 1 } else { high = middle }
        }
        return low < sorted.count && sorted[low] == hash
    }

    public static func == (a: TemplateEvidence, b: TemplateEvidence) -> Bool { a.sorted == b.sorted }
}
