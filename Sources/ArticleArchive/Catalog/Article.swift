import Foundation

/// One logical article in the catalog, as `list` and `show` present it.
public struct Article: Codable, Sendable, Equatable {
    /// The article's identity: its URL, an explicit key, or a key derived from the input.
    public var key: String
    /// The URL most recently declared for the article.
    public var url: String?
    /// The source (site) most recently declared or derived for the article.
    public var source: String?
    /// The declared title, or the headline the cleaner found when none was declared.
    public var title: String?
    /// How many distinct bodies (versions) the article has had.
    public var versions: Int
    /// How many times the article arrived, changed or not.
    public var captures: Int
    /// When the article first arrived.
    public var firstSeenAt: Date
    /// When the article last arrived.
    public var lastSeenAt: Date

    enum CodingKeys: String, CodingKey {
        case key, url, source, title, versions, captures
        case firstSeenAt = "first_seen_at"
        case lastSeenAt = "last_seen_at"
    }

    public func encode(to encoder: any Encoder) throws {
        // Absent values are written as null, so every article has every field.
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(key, forKey: .key)
        try container.encode(url, forKey: .url)
        try container.encode(source, forKey: .source)
        try container.encode(title, forKey: .title)
        try container.encode(versions, forKey: .versions)
        try container.encode(captures, forKey: .captures)
        try container.encode(firstSeenAt, forKey: .firstSeenAt)
        try container.encode(lastSeenAt, forKey: .lastSeenAt)
    }
}
