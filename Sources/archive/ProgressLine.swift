import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A one-line progress display on standard error, redrawn in place at most five times a second; silent when
/// standard error is not a terminal or with `--quiet`.
final class ProgressLine {
    private let enabled: Bool
    private var lastDrawn = Date.distantPast
    private var drawn = false

    init(quiet: Bool) {
        enabled = !quiet && isatty(STDERR_FILENO) == 1
    }

    /// Redraws the line (unless it was drawn less than 0.2 s ago and `force` is false).
    func update(force: Bool = false, _ text: @autoclosure () -> String) {
        guard enabled, force || Date().timeIntervalSince(lastDrawn) >= 0.2 else { return }
        lastDrawn = Date()
        drawn = true
        FileHandle.standardError.write(Data(("\r\u{1B}[K" + text()).utf8))
    }

    /// Ends the line, so what is printed next starts on a fresh one.
    func finish() {
        guard drawn else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
        drawn = false
    }

    /// "1m05s" style.
    static func duration(_ seconds: Double) -> String {
        let whole = Int(seconds.rounded())
        return whole >= 60 ? "\(whole / 60)m\(String(format: "%02d", whole % 60))s" : "\(whole)s"
    }

    /// The time left when `done` of `total` took `seconds`, at the same pace.
    static func remaining(done: Int, total: Int, seconds: Double) -> String {
        duration(done > 0 ? Double(total - done) / Double(done) * seconds : 0)
    }

    /// Megabytes per second.
    static func rate(_ bytes: Int, _ seconds: Double) -> String {
        String(format: "%.1f MB/s", seconds > 0 ? Double(bytes) / 1e6 / seconds : 0)
    }
}
