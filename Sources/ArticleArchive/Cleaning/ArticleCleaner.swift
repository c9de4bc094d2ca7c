/// Derives an article's cleaned text from its raw body. The raw body is always kept; cleaning can be redone.
public protocol ArticleCleaner: Sendable {
    /// The name and version recorded with every cleaned object this cleaner produces.
    var identity: CleanerIdentity { get }

    /// Cleans one body.
    /// - Parameters:
    ///   - text: the raw body, valid UTF-8.
    ///   - template: lines the archive has learned are its source's template (menus, footers) for this article.
    /// - Returns: the cleaned text and, when the cleaner removed a headline from above the body, that headline.
    func clean(_ text: String, template: TemplateEvidence) -> CleanedText
}

extension ArticleCleaner {
    /// Cleans one body with no knowledge of its source's template.
    public func clean(_ text: String) -> CleanedText {
        clean(text, template: TemplateEvidence())
    }
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
