/// A request the archive cannot satisfy, with a message a user can act on.
public enum ArchiveError: Error, Equatable, CustomStringConvertible {
    /// No archive exists at the path.
    case noArchive(path: String)
    /// No article has the key.
    case unknownArticle(key: String)
    /// The article has no such version.
    case unknownVersion(key: String, number: Int, latest: Int)
    /// The options contradict each other or the inputs.
    case invalidOptions(String)

    public var description: String {
        switch self {
        case .noArchive(let path):
            "no archive at \(path) (run `archive ingest` to create one, or pass --store PATH)"
        case .unknownArticle(let key):
            "no article with key \(key) (`archive list` shows the keys)"
        case .unknownVersion(let key, let number, let latest):
            "\(key) has no version \(number) (it has versions 1 to \(latest))"
        case .invalidOptions(let message):
            message
        }
    }
}
