/// Why the chrome cleaner dropped a line.
public enum ChromeReason: Sendable, Equatable, CustomStringConvertible {
    /// Share, follow, subscribe, comment, related, copyright, cookie or ad wording in a short line.
    case chromeWords([String])
    /// A date or timestamp line, or a headline with a timestamp glued to it.
    case date
    /// A media, video or embed id.
    case mediaID
    /// A photo caption or credit.
    case caption
    /// HTML tags or entities.
    case markup
    /// A teaser cut off with an ellipsis.
    case teaser
    /// A line repeated elsewhere on the page, away from the body (menus, repeated headlines).
    case repeated
    /// A short line in a run of chrome.
    case besideChrome
    /// A line the archive learned is its site's template (it recurs across different articles of the source).
    case template
    /// The headline above the body.
    case headline
    /// Outside the article body (menus and headers above it, lists and footers below it).
    case outsideBody

    public var description: String {
        switch self {
        case .chromeWords(let words): "rule: chrome wording (\(words.prefix(3).joined(separator: ", ")))"
        case .date: "rule: date or timestamp"
        case .mediaID: "rule: media id"
        case .caption: "rule: photo caption or credit"
        case .markup: "rule: markup"
        case .teaser: "rule: teaser cut with an ellipsis"
        case .repeated: "rule: repeated on the page, away from the body"
        case .besideChrome: "rule: short line in a run of chrome"
        case .template: "template: recurs across other articles of this source"
        case .headline: "headline above the body"
        case .outsideBody: "outside the body"
        }
    }
}

/// What the cleaner decided for one line of a body.
public struct LineDecision: Sendable, Equatable {
    /// The 1-based line number in the raw body.
    public var lineNumber: Int
    /// The line, trimmed.
    public var text: String
    /// Why it was dropped, or `nil` when it was kept.
    public var droppedBecause: ChromeReason?
}
