import Foundation

/// Strips site chrome from plain-text articles: menus, headers, share and follow prompts, related-headline lists,
/// captions, media ids, dates, copyright and cookie notices, comment prompts; keeps the body's paragraphs whole
/// and in order.
///
/// Each line is scored by what it looks like (length in words, sentence punctuation, chrome wording in many
/// languages, dates, ids, captions, markup, repetition) and by what the archive learned of its source's template;
/// the body is the best-scoring run of lines (and any strong further runs), in the spirit of jusText and BTE.
/// The headline dropped from above the body is returned as the title.
public struct ChromeCleaner: ArticleCleaner {
    public let identity = CleanerIdentity(name: "chrome", version: "1")

    /// A line this long (in words) with sentence punctuation is body-like.
    static let contentWords = 10.0
    static let shortPenalty = 5.0
    static let middlePenalty = 1.0
    static let chromePenalty = 8.0

    /// Creates the cleaner.
    public init() {}

    public func clean(_ text: String, template: TemplateEvidence) -> CleanedText {
        let outcome = run(text, template: template, explaining: false)
        var cleaned = CleanedText(validUTF8: outcome.utf8, title: outcome.title, spans: outcome.spans)
        cleaned.wordHashes = outcome.wordHashes
        return cleaned
    }

    /// Cleans a body and says, line by line, what was dropped and why.
    public func analyze(_ text: String, template: TemplateEvidence = TemplateEvidence()) -> CleaningAnalysis {
        let outcome = run(text, template: template, explaining: true)
        return CleaningAnalysis(
            text: String(decoding: outcome.utf8, as: UTF8.self), title: outcome.title, decisions: outcome.decisions,
            spans: outcome.spans, wordHashes: outcome.wordHashes)
    }

    /// What `run` finds: the cleaned body as UTF-8 (valid: whole lines of the body), and the rest of an analysis.
    private struct Outcome {
        var utf8: [UInt8]
        var title: String?
        var decisions: [LineDecision]
        var spans: [CleanedText.Span]
        var wordHashes: [UInt64]?
    }

    private func run(_ text: String, template: TemplateEvidence, explaining: Bool) -> Outcome {
        var source = text
        source.makeContiguousUTF8()
        let skipped = source.hasPrefix("\u{FEFF}") ? 3 : 0
        return source.utf8.withContiguousStorageIfAvailable { bytes in
            run(source, bytes, from: skipped, template: template, explaining: explaining)
        }!
    }

    private func run(
        _ text: String, _ bytes: UnsafeBufferPointer<UInt8>, from start: Int, template: TemplateEvidence,
        explaining: Bool
    ) -> Outcome {
        let lines = TextScanning.expectedLineCount(byteCount: bytes.count)
        var numbers: [Int] = []  // raw line number of each non-blank line
        numbers.reserveCapacity(lines)
        var profiles: [LineProfile] = []
        profiles.reserveCapacity(lines)
        // The hashes of every line's words, and where each line's are: the kept lines' are the cleaned text's words.
        var words: [UInt64] = []
        words.reserveCapacity(bytes.count / 5)
        var wordEnds: [Int] = []
        wordEnds.reserveCapacity(lines)
        var sawCompatibility = false
        // One buffer for every line's tokens (a buffer per line cost a malloc per line).
        let tokenBuffer = UnsafeMutableBufferPointer<WordTokenizer.RawToken>.allocate(
            capacity: WordTokenizer.TokenCursor.batchCapacity)
        defer { tokenBuffer.deallocate() }
        var lineNumber = 0
        func lineText(_ profile: LineProfile) -> Substring { LineProfile.line(at: profile.byteRange, in: text) }
        TextScanning.forEachLine(bytes, from: start) { lineStart, lineEnd in
            defer { lineNumber += 1 }
            let (first, end) = TextScanning.trimmedSpaces(bytes, lineStart, lineEnd)
            guard first < end else { return }
            numbers.append(lineNumber)
            let lineBytes = UnsafeBufferPointer(rebasing: bytes[first..<end])
            let templateHash = template.isEmpty
                ? nil : template.hash(ofLine: lineNumber, utf8Count: bytes.count) ?? TemplateLine.hash(lineBytes)
            profiles.append(LineProfile(
                in: text, bytes: lineBytes, at: first..<end, templateHash: templateHash,
                tokenBuffer: tokenBuffer, words: &words, sawCompatibility: &sawCompatibility))
            wordEnds.append(words.count)
        }
        var (scores, reasons) = score(profiles, template: template)
        if explaining {
            for index in reasons.indices {
                guard case .chromeWords = reasons[index] else { continue }
                reasons[index] = .chromeWords(LineProfile.chromeTerms(in: lineText(profiles[index])))
            }
        }
        markShortRunsBesideChrome(profiles, &scores, &reasons)

        var kept = [Bool](repeating: false, count: profiles.count)
        for segment in BodySegmenter().segments(scores) {
            for index in segment where reasons[index] == nil { kept[index] = true }
        }
        // A body too short to score (a brief item, a one-line note) is kept whole, less what rules flagged;
        // a text that is nothing but chrome is kept as it is, since dropping everything would lose the article.
        if !kept.contains(true) {
            kept = reasons.map { $0 == nil }
            if !kept.contains(true) { kept = [Bool](repeating: true, count: profiles.count) }
        }
        for index in profiles.indices where !kept[index] && reasons[index] == nil {
            reasons[index] = .outsideBody
        }
        let title = HeadlineFinder.headline(profiles, kept: kept, text: lineText)
        if let title { reasons[title.index] = .headline }

        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var spans: [CleanedText.Span] = []
        spans.reserveCapacity(profiles.count)
        var keptWords: [UInt64] = []
        keptWords.reserveCapacity(words.count)
        var previous: Int?
        // Through a buffer: a slice of `words` a line retained and released the array.
        words.withUnsafeBufferPointer { words in
            for index in profiles.indices where kept[index] {
                let lineWords = (index == 0 ? 0 : wordEnds[index - 1])..<wordEnds[index]
                keptWords += UnsafeBufferPointer(rebasing: words[lineWords])
                if let previous {
                    // Raw lines between the two that are not profiled lines are blank.
                    let blankBetween = numbers[index] - numbers[previous] > index - previous
                    output.append(0x0A)
                    if blankBetween { output.append(0x0A) }
                }
                spans.append(CleanedText.Span(source: profiles[index].byteRange, offset: output.count))
                output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[profiles[index].byteRange]))
                previous = index
            }
        }
        let decisions = !explaining ? [] : profiles.indices.map { index in
            LineDecision(
                lineNumber: numbers[index] + 1, text: String(lineText(profiles[index])),
                droppedBecause: kept[index] ? nil : reasons[index])
        }
        return Outcome(
            utf8: output, title: title?.text, decisions: decisions, spans: spans,
            wordHashes: sawCompatibility ? nil : keptWords)
    }

    // MARK: - Scoring

    private func score(
        _ profiles: [LineProfile], template: TemplateEvidence
    ) -> ([Double], [ChromeReason?]) {
        // The hashes held by more than one line (a page has a few, often none): found with a table, where sorting
        // every line's hash was 0.5% of an ingest.
        var seen = LineHashSet(capacity: profiles.count)
        var repeated = LineHashSet(capacity: 8)
        for profile in profiles where !seen.insert(Int64(bitPattern: profile.exactHash)) {
            _ = repeated.insert(Int64(bitPattern: profile.exactHash))
        }
        var scores: [Double] = []
        var reasons: [ChromeReason?] = []
        scores.reserveCapacity(profiles.count)
        reasons.reserveCapacity(profiles.count)
        for profile in profiles {
            let reason = chromeReason(profile, template: template)
            reasons.append(reason)
            scores.append(reason == nil ? contentScore(profile) : -Self.chromePenalty)
        }
        // A line repeated on the page is chrome (menus, repeated headlines, teaser lists) unless it sits beside
        // body paragraphs, as a heading listed again in a table of contents does.
        for index in profiles.indices where reasons[index] == nil && profiles[index].units < 20
            && repeated.contains(Int64(bitPattern: profiles[index].exactHash)) {
            func isContent(_ neighbour: Int) -> Bool {
                profiles.indices.contains(neighbour) && profiles[neighbour].units >= Self.contentWords
                    && scores[neighbour] > 0
            }
            if !isContent(index - 1) && !isContent(index + 1) {
                reasons[index] = .repeated
                scores[index] = -Self.chromePenalty
            }
        }
        return (scores, reasons)
    }

    /// Why a line is chrome by rules, if it is (chrome words without the words: `run` finds them when it explains).
    private func chromeReason(_ profile: LineProfile, template: TemplateEvidence) -> ChromeReason? {
        if let hash = profile.templateHash, template.contains(hash: hash) { return .template }
        if profile.hasMarkup { return .markup }
        if profile.isTeaser { return .teaser }
        if profile.units <= 12 {
            // A short sentence that merely mentions a chrome word ("On average, home renovations…") is body.
            let sentence = profile.endsSentence && profile.units >= 6
            if profile.chromeTermCount >= (sentence ? 2 : 1) { return .chromeWords([]) }
        }
        if profile.isDateLine { return .date }
        if profile.isMediaID { return .mediaID }
        if profile.isCaption { return .caption }
        return nil
    }

    private func contentScore(_ profile: LineProfile) -> Double {
        let units = profile.units
        if units >= Self.contentWords {
            return profile.endsSentence ? units - Self.contentWords / 2 : (units - Self.contentWords) / 2
        }
        if units <= 3 { return -Self.shortPenalty }
        return profile.endsSentence ? 0.5 : -Self.middlePenalty
    }

    /// Short lines that touch a chrome line (a video id, then "video", then the clip's title) are chrome too.
    private func markShortRunsBesideChrome(
        _ profiles: [LineProfile], _ scores: inout [Double], _ reasons: inout [ChromeReason?]
    ) {
        func isShort(_ index: Int) -> Bool {
            reasons[index] == nil && profiles[index].units <= 5 && !profiles[index].endsSentence
        }
        var index = 0
        while index < profiles.count {
            guard isShort(index) else { index += 1; continue }
            var end = index
            while end + 1 < profiles.count && isShort(end + 1) { end += 1 }
            let touchesChrome = (index > 0 && reasons[index - 1] != nil && reasons[index - 1] != .repeated)
                || (end + 1 < profiles.count && reasons[end + 1] != nil && reasons[end + 1] != .repeated)
            if touchesChrome {
                for short in index...end {
                    reasons[short] = .besideChrome
                    scores[short] = -Self.chromePenalty
                }
            }
            index = end + 1
        }
    }
}

/// The chrome cleaner's output with its reasons.
public struct CleaningAnalysis: Sendable, Equatable {
    /// The cleaned body.
    public var text: String
    /// The headline found above the body, if any.
    public var title: String?
    /// Every non-blank line of the raw body, kept or dropped with its reason.
    public var decisions: [LineDecision]
    /// Where the cleaned body's bytes are in the raw body.
    public var spans: [CleanedText.Span]
    /// The hashes of the cleaned body's words, in order, unless it holds a letter whose NFKC form differs.
    var wordHashes: [UInt64]?

    public static func == (a: CleaningAnalysis, b: CleaningAnalysis) -> Bool {
        a.text == b.text && a.title == b.title && a.decisions == b.decisions && a.spans == b.spans
    }
}
