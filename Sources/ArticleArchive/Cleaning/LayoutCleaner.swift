/// A cleaner that normalises layout only: it drops a byte-order mark, turns CRLF and CR into LF,
/// strips trailing spaces, collapses runs of blank lines into one and trims the text.
/// Every word of the body is kept, so it is safe until chrome stripping (a separate cleaner) replaces it.
public struct LayoutCleaner: ArticleCleaner {
    public let identity = CleanerIdentity(name: "layout", version: "1")

    /// Creates the cleaner.
    public init() {}

    public func clean(_ text: String) -> CleanedText {
        var lines: [Substring] = []
        var previousBlank = true
        let body = text.hasPrefix("\u{FEFF}") ? text.dropFirst() : Substring(text)
        for line in body.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }) {
            let trimmed = line.trimmingTrailingWhitespace()
            let blank = trimmed.isEmpty
            if blank && previousBlank { continue }
            lines.append(trimmed)
            previousBlank = blank
        }
        while lines.last?.isEmpty == true { lines.removeLast() }
        return CleanedText(text: lines.joined(separator: "\n"))
    }
}

extension Substring {
    func trimmingTrailingWhitespace() -> Substring {
        var end = endIndex
        while end > startIndex {
            let previous = index(before: end)
            guard self[previous].isWhitespace else { break }
            end = previous
        }
        return self[startIndex..<end]
    }
}
