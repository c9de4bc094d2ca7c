import Foundation

/// File names for exported articles that can never point outside the export folder.
///
/// The name is a readable slug of the key (letters, digits, `.`, `_`, `-` only; never `.` or `..`; at most 80
/// characters) followed by the first 12 hex digits of the key's SHA-256, so distinct keys never collide.
enum ExportFileName {
    static func make(for key: String, extension fileExtension: String) -> String {
        var slug = ""
        var lastWasSeparator = true
        let withoutScheme = key.range(of: "://").map { String(key[$0.upperBound...]) } ?? key
        for scalar in withoutScheme.unicodeScalars {
            if scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar) || scalar == "." || scalar == "-") {
                slug.unicodeScalars.append(scalar)
                lastWasSeparator = false
            } else if !lastWasSeparator {
                slug += "_"
                lastWasSeparator = true
            }
            if slug.utf8.count >= 80 { break }
        }
        while let first = slug.first, first == "." || first == "_" || first == "-" { slug.removeFirst() }
        while let last = slug.last, last == "." || last == "_" || last == "-" { slug.removeLast() }
        let digest = ContentDigest.sha256Hex(Array(key.utf8)).prefix(12)
        return (slug.isEmpty ? "" : slug + "-") + digest + "." + fileExtension
    }
}
