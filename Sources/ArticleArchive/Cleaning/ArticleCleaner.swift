/// Derives an article's cleaned text from its raw body. The raw body is always kept; cleaning can be redone.
public protocol ArticleCleaner: Sendable {
    /// The name and version recorded with every cleaned object this cleaner produces.
    var identity: CleanerIdentity { get }

    /// Cleans one body.
    /// - Parameter text: the raw body, valid UTF-8.
    /// - Returns: the cleaned text and, when the cleaner removed a headline from above the body, that headline.
    func clean(_ text: String) -> CleanedText
}

/// The output of a cleaner.
public struct CleanedText: Sendable, Equatable {
    /// The article body.
    public var text: String
    /// A headline the cleaner removed from above the body, if any.
    public var title: String?

    /// Creates a cleaned text.
    public init(text: String, title: String? = nil) {
        self.text = text
        self.title = title
    }
}
