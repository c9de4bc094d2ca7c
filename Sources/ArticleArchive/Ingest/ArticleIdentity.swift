import Foundation

/// Decides an arrival's article key and source.
///
/// Key: the explicit key, else the URL (whitespace trimmed, `#fragment` dropped), else a key derived from the input
/// (`folder/relative/path` for files, `file.jsonl#line` for JSONL records, `stdin/<sha256 prefix>`).
/// Source: the declared source, else the URL's host (without `www.`), else the input's folder (or JSONL file) name.
enum ArticleIdentity {
    static func key(declared: DeclaredMetadata, derived: String) -> String {
        if let key = declared.key { return key }
        if let url = declared.url { return normalizedURL(url) }
        return derived
    }

    static func source(declared: DeclaredMetadata, fallback: String?) -> String? {
        if let source = declared.source { return source }
        if let url = declared.url, let host = URLHost.of(url), !host.isEmpty {
            return host.hasPrefix("www.") ? String(host.dropFirst(4)) : host
        }
        return fallback
    }

    static func normalizedURL(_ url: String) -> String {
        // Most URLs are ASCII with nothing to trim: the fragment is then found byte by byte, without Foundation
        // (whose trimming was a fiftieth of an ingest) or grapheme breaking, which ASCII text does not need.
        if TextScanning.hasVisibleASCIIEnds(url.utf8), url.utf8.allSatisfy({ $0 < 0x80 }) {
            guard let hash = url.utf8.firstIndex(of: UInt8(ascii: "#")) else { return url }
            return String(url[..<hash])
        }
        let trimmed = url.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let hash = trimmed.firstIndex(of: "#") else { return trimmed }
        return String(trimmed[..<hash])
    }
}
