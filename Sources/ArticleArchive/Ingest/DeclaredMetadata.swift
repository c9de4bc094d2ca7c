/// What an input declared about its article; every field is optional.
public struct DeclaredMetadata: Codable, Sendable, Equatable {
    /// The article's URL.
    public var url: String?
    /// The site or feed the article came from.
    public var source: String?
    /// The article's title.
    public var title: String?
    /// When the page was fetched, as the input wrote it.
    public var fetchedAt: String?
    /// When the article was published, as the input wrote it.
    public var publishedAt: String?
    /// An explicit article key.
    public var key: String?
    /// Other fields of a JSONL record, kept for provenance as a JSON object text.
    public var extra: String?

    /// Creates metadata.
    public init(
        url: String? = nil, source: String? = nil, title: String? = nil, fetchedAt: String? = nil,
        publishedAt: String? = nil, key: String? = nil, extra: String? = nil
    ) {
        self.url = url
        self.source = source
        self.title = title
        self.fetchedAt = fetchedAt
        self.publishedAt = publishedAt
        self.key = key
        self.extra = extra
    }

    enum CodingKeys: String, CodingKey {
        case url, source, title, key, extra
        case fetchedAt = "fetched_at"
        case publishedAt = "published_at"
    }
}
