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
    /// The article body, held as the cleaner made it: as text, or as its UTF-8 (made into text when asked for: the
    /// ingest stores and hashes the bytes, and needs no text of most bodies).
    public var text: String {
        get {
            switch body {
            case .text(let text): text
            case .utf8(let bytes): String(decoding: bytes, as: UTF8.self)
            }
        }
        set { body = .text(newValue) }
    }

    /// The body's UTF-8.
    var utf8: [UInt8] {
        switch body {
        case .text(let text): Array(text.utf8)
        case .utf8(let bytes): bytes
        }
    }

    private enum Body: Sendable {
        case text(String)
        /// Valid UTF-8.
        case utf8([UInt8])
    }

    private var body: Body
    /// A headline the cleaner removed from above the body, if any.
    public var title: String?
    /// Where the text's bytes are in the raw body, when the cleaner knows, in the text's order (empty when it
    /// does not). The store then keeps the text as a delta against the raw body without searching for its lines.
    public var spans: [Span]
    /// The hashes of the text's words, in order (`WordTokenizer.wordHashes` of it), when the cleaner has them and
    /// the text has no letter whose NFKC form differs: its shingles are then made without tokenizing it again.
    var wordHashes: [UInt64]?

    /// Creates a cleaned text.
    public init(text: String, title: String? = nil, spans: [Span] = []) {
        body = .text(text)
        self.title = title
        self.spans = spans
    }

    /// Creates a cleaned text from its UTF-8, which must be valid.
    init(validUTF8: [UInt8], title: String?, spans: [Span]) {
        body = .utf8(validUTF8)
        self.title = title
        self.spans = spans
    }

    /// Cleaned texts are equal when their texts, titles and spans are (the word hashes follow from the text).
    public static func == (a: CleanedText, b: CleanedText) -> Bool {
        a.text == b.text && a.title == b.title && a.spans == b.spans
    }

    /// The text's UTF-8 bytes from `offset` on are the raw body's UTF-8 bytes in `source`.
    public struct Span: Sendable, Equatable {
        /// Where the bytes are in the raw body.
        public var source: Range<Int>
        /// Where they are in the cleaned text.
        public var offset: Int

        /// Creates a span.
        public init(source: Range<Int>, offset: Int) {
            self.source = source
            self.offset = offset
        }
    }
}
