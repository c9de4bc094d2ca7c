import Testing
@testable import ArticleArchive

/// Three paragraphs of real-looking body text to put chrome around.
private let body = [
    "The council voted on Tuesday to extend the programme for another three years, after a debate that lasted well into the evening.",
    "Supporters said the scheme had cut waiting times in half, while critics argued that its costs had been badly underestimated.",
    "The mayor is expected to sign the measure next week, and the first payments will reach families before the end of the year.",
]

private func cleaned(_ lines: [String]) -> String {
    ChromeCleaner().clean(lines.joined(separator: "\n")).text
}

private func reasons(_ lines: [String]) -> [String: ChromeReason] {
    let analysis = ChromeCleaner().analyze(lines.joined(separator: "\n"))
    var result: [String: ChromeReason] = [:]
    for decision in analysis.decisions {
        if let reason = decision.droppedBecause { result[decision.text] = reason }
    }
    return result
}

@Suite("Chrome rules")
struct ChromeRuleTests {
    @Test("share, follow, comment and copyright lines go, in several languages", arguments: [
        "Share:", "مشاركة :", "Partager", "Send your comments", "Follow us on Twitter",
        "All rights reserved to Arab Today Media Group 2021 ©", "Teilen", "Compartir en Facebook", "Read more",
    ])
    func chromeWording(line: String) {
        #expect(cleaned(body + [line]) == body.joined(separator: "\n"))
        #expect(cleaned([line] + body) == body.joined(separator: "\n"))
    }

    @Test("an explanation names the chrome words of each line they dropped, and of no other")
    func explainedChromeWords() {
        let found = reasons(["Share on Facebook", "© 2024 Example News"] + body)
        guard case .chromeWords(let share)? = found["Share on Facebook"],
              case .chromeWords(let copyright)? = found["© 2024 Example News"]
        else {
            Issue.record("not dropped for chrome words: \(found)")
            return
        }
        #expect(share.contains("share") && !share.contains("©"))
        #expect(copyright == ["©"])
        #expect(found.count == 2)
    }

    @Test("a short sentence that merely mentions a chrome word stays")
    func chromeWordInSentence() {
        let lines = [body[0], "On average, home renovations provide a good return.", body[1], body[2]]
        #expect(cleaned(lines) == lines.joined(separator: "\n"))
    }

    @Test("dates, and headlines with timestamps glued on, go")
    func dates() {
        let lines = body + [
            "GMT 12:44 2018 Friday ,31 August",
            "Damascus vows to 'liberate all of Syria'GMT 18:07 2018 Thursday ,30 August",
            "UN extends sanctions regimeGMT 16:13 2018 Thursday ,30 August",
        ]
        #expect(cleaned(lines) == body.joined(separator: "\n"))
        #expect(reasons(lines)["GMT 12:44 2018 Friday ,31 August"] == .date)
    }

    @Test("media ids and the short lines beside them go, even between paragraphs")
    func mediaIDs() {
        let lines = [body[0], "6131699081001 e2f19eff-f001-4189-b97f-2e7a266607c3", "video", "Clip title here", body[1],
                     "Media ID: 55384080", body[2]]
        #expect(cleaned(lines) == body.joined(separator: "\n"))
        let found = reasons(lines)
        #expect(found["video"] == .besideChrome)
        #expect(found["Media ID: 55384080"] == .mediaID)
    }

    @Test("photo captions and credits go")
    func captions() {
        let lines = ["Libyan General Khalifa Haftar addresses a press conference in Benghazi. AP"] + body
            + ["Photo: Thomas Kuoh"]
        #expect(cleaned(lines) == body.joined(separator: "\n"))
    }

    @Test("markup and teasers go")
    func markupAndTeasers() {
        let lines = body + ["<a href=\"https://example.com\">Another story</a>",
                            "The hidden costs of the new metro line and who will pay for them..."]
        #expect(cleaned(lines) == body.joined(separator: "\n"))
    }

    @Test("lines past forty words are still read for markup and glued timestamps, and kept when they are body")
    func longLines() {
        let long = (body + body).joined(separator: " ")
        let tagged = "<div class=\"teaser\">" + long + "</div>"
        let entity = long.replacingOccurrences(of: "three years", with: "three&nbsp;years")
        let stamped = String(long.dropLast()) + " GMT 12:44 2018 Friday ,31 August"
        let lines = [long, tagged, entity, stamped]
        let found = reasons(lines)
        #expect(found[long] == nil)
        #expect(found[tagged] == .markup && found[entity] == .markup)
        #expect(found[stamped] == .date)
        // The same timestamp in a line that ends like a sentence is body.
        #expect(reasons([long, String(long.dropLast()) + " at 12:44 GMT on Friday 31 August 2018."]).isEmpty)
    }

    @Test("menus above and related-headline lists below the body go; short lines inside it stay")
    func bodySegment() {
        let menu = ["Home", "World", "Politics", "Business", "Sport", "Opinion", "Video"]
        let related = ["Related stories", "Storm closes schools across the region",
                       "Transport strike called off at the last minute", "Local team wins the regional cup"]
        let inside = [body[0], "“We are delighted,” she said.", body[1], "Budget", body[2]]
        #expect(cleaned(menu + inside + related) == inside.joined(separator: "\n"))
    }

    @Test("blank lines between paragraphs are kept as paragraph breaks")
    func paragraphBreaks() {
        let text = "Menu\nHome\n\n" + body.joined(separator: "\n\n") + "\n\nShare:"
        #expect(ChromeCleaner().clean(text).text == body.joined(separator: "\n\n"))
    }

    @Test("a line repeated away from the body goes; a heading repeated beside body text stays")
    func repeatedLines() {
        let lines = ["Contents", "Background", "Next steps", "Background", body[0], body[1], "Next steps", body[2],
                     "Background"]
        let result = cleaned(lines)
        #expect(result == [body[0], body[1], "Next steps", body[2]].joined(separator: "\n"))
    }

    @Test("the headline above the body becomes the title, without its site suffix")
    func headline() {
        let lines = ["Middle-east Arab News Opinion | Asharq Al-awsat",
                     "Haftar Holds Secret Meetings in Rome on Migration | ASHARQ AL-AWSAT English Archive 2005 -2017",
                     "Select Page"] + body
        let result = ChromeCleaner().clean(lines.joined(separator: "\n"))
        #expect(result.title == "Haftar Holds Secret Meetings in Rome on Migration")
        #expect(result.text == body.joined(separator: "\n"))
    }

    @Test("a body too short to score is kept, less what rules flag; all-chrome text is kept whole")
    func shortBodies() {
        #expect(ChromeCleaner().clean("Brief: the bridge reopens at noon.\nShare:").text == "Brief: the bridge reopens at noon.")
        #expect(ChromeCleaner().clean("Share:\nFollow us").text == "Share:\nFollow us")
    }

    @Test("text in scripts without spaces is measured, not dropped")
    func cjkText() {
        let chinese = "北京时间周二晚间，市议会以多数票通过了延长该计划三年的决定，辩论一直持续到深夜，支持者认为该计划将等候时间缩短了一半。"
        let lines = ["首页", "新闻", chinese, chinese + "批评者则认为成本被严重低估。", "分享"]
        #expect(cleaned(lines) == [chinese, chinese + "批评者则认为成本被严重低估。"].joined(separator: "\n"))
    }
}
