import Foundation

/// One distinct body an article had, with the objects that hold its raw and cleaned text.
public struct ArticleVersion: Codable, Sendable, Equatable {
    /// The article's key.
    public var key: String
    /// The version number, from 1.
    public var number: Int
    /// The object holding the body exactly as it arrived.
    public var rawObject: ObjectID
    /// The length of the raw body in bytes.
    public var rawSize: Int
    /// The object holding the current cleaned text.
    public var cleanedObject: ObjectID
    /// The length of the cleaned text in bytes.
    public var cleanedSize: Int
    /// The cleaner that produced the current cleaned text, as `name/version`.
    public var cleaner: String
    /// The headline the cleaner found above the body, if any.
    public var cleanedTitle: String?
    /// When the version was first seen.
    public var createdAt: Date
    /// The `fetched_at` declared by the latest capture of this version, if any.
    public var fetchedAt: String?

    enum CodingKeys: String, CodingKey {
        case key, number, cleaner
        case rawObject = "raw_object"
        case rawSize = "raw_size"
        case cleanedObject = "cleaned_object"
        case cleanedSize = "cleaned_size"
        case cleanedTitle = "cleaned_title"
        case createdAt = "created_at"
        case fetchedAt = "fetched_at"
    }
}
