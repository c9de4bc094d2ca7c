/// What `reclean` did.
public struct RecleanReport: Codable, Sendable, Equatable {
    /// Versions whose raw body was cleaned again.
    public var versions = 0
    /// Versions that got a new cleaned text (recorded beside the old one, which is kept).
    public var changed = 0
    /// Versions whose cleaned text came out the same (recorded only if the cleaner version changed).
    public var unchanged = 0
    /// Versions whose raw body could not be read (each listed with the reason); nothing was recorded for them.
    public var failures: [String] = []
}
