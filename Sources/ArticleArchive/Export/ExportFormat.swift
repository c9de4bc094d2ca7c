/// The forms an export can take.
public enum ExportFormat: String, Sendable, CaseIterable {
    /// One `.txt` file per article in a folder.
    case txt
    /// One JSON object per article in one file: `key`, `url`, `source`, `title`, `fetched_at`, `version`,
    /// `object`, `text`.
    case jsonl
}
