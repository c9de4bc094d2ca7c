/// The name and version of a cleaner, recorded with every cleaned object it produces.
public struct CleanerIdentity: Hashable, Codable, Sendable, CustomStringConvertible {
    /// The cleaner's name.
    public var name: String
    /// The cleaner's version; a change in output means a new version.
    public var version: String

    /// Creates an identity.
    public init(name: String, version: String) {
        self.name = name
        self.version = version
    }

    /// `name/version`.
    public var description: String { "\(name)/\(version)" }
}
