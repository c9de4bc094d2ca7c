/// What one arrival of an article changed in the archive.
public enum CaptureOutcome: String, Codable, Sendable, CaseIterable {
    /// The key was new: the arrival created the article and its version 1.
    case newArticle = "new-article"
    /// The article existed with another latest body: the arrival created a new version.
    case newVersion = "new-version"
    /// The body equals the article's latest version: only the capture was recorded.
    case unchanged
}
