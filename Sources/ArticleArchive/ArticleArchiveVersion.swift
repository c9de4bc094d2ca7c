/// The version of the ArticleArchive library and the `archive` tool.
public enum ArticleArchiveVersion {
    /// The version string recorded with every ingest run.
    public static let string = "0.1.0"
}
