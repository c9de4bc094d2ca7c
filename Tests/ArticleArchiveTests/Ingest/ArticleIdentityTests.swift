import Foundation
import Testing
@testable import ArticleArchive

@Suite("Article identity")
struct ArticleIdentityTests {
    /// The parsing the fast paths stand in for.
    private func foundationHost(_ url: String) -> String? { URLComponents(string: url)?.host?.lowercased() }

    private func foundationKey(_ url: String) -> String {
        let trimmed = url.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let hash = trimmed.firstIndex(of: "#") else { return trimmed }
        return String(trimmed[..<hash])
    }

    /// Strings made mostly of URL characters, most of the shape `scheme://host/...`, half of those with only
    /// characters a URL may hold as they are after the host, the rest with some it may not (seeded: the same
    /// strings on every run).
    private func randomURLs(count: Int, seed: UInt64) -> [String] {
        var generator = SplitMix(seed: seed)
        let schemes = ["http", "https", "HTTPS", "ftp", "a+b-c.d", "1http", "", "http:", "mailto:"]
        let hosts = ["example.com", "WWW.Example.ORG", "news.site-1.co.uk", "", "user@host.com", "host:8080", "[::1]",
                     "ho%41st.com", "host_name.com", "xn--bcher-kva.de", "-.", "müller.de"]
        let plain = Array("abcXYZ019-._~!$&'()*+,;=:/?#%20")
        let any = Array("abcXYZ019-._~!$&'()*+,;=:/?#@%20%zz[]| \"<>{}^`\\\t\né…")
        return (0..<count).map { _ in
            var url = ""
            if Int.random(in: 0..<10, using: &generator) < 8 {
                url = schemes.randomElement(using: &generator)! + "://" + hosts.randomElement(using: &generator)!
                if Bool.random(using: &generator) { url += "/" }
            }
            let alphabet = Bool.random(using: &generator) ? plain : any
            for _ in 0..<Int.random(in: 0..<24, using: &generator) {
                url.append(alphabet.randomElement(using: &generator)!)
            }
            return url
        }
    }

    @Test("the plain-URL fast path finds the host URLComponents finds, and takes most real URLs")
    func plainHostMatchesURLComponents() {
        var compared = 0
        for url in randomURLs(count: 20000, seed: 7) {
            guard let plain = URLHost.plain(url) else { continue }
            compared += 1
            #expect(plain == foundationHost(url), "\(url)")
        }
        #expect(compared >= 500, "too few random URLs took the fast path to compare it")
        let common = [
            "https://www.example.com/news/2024/05/story-title-123.html",
            "http://News.Site.CO.UK/world?id=42&ref=rss#comments",
            "https://example.org/a/b/c;param=1/%E2%80%99quote'(x)*!$,~_",
            "https://sub.example.net",
        ]
        for url in common {
            #expect(URLHost.plain(url) != nil, "\(url)")
            #expect(URLHost.of(url) == foundationHost(url), "\(url)")
        }
        #expect(URLHost.plain("https://user@example.com/") == nil)
        #expect(URLHost.plain("https://example.com:8080/") == nil)
        #expect(URLHost.of("https://example.com:8080/") == "example.com")
    }

    @Test("an article's key from its URL is what trimming and cutting at the fragment give, for any URL")
    func keyMatchesFoundationTrimming() {
        for url in randomURLs(count: 20000, seed: 8) + [" https://a.com/x#y ", "\u{3000}https://a.com/é#frag", "#", ""] {
            #expect(ArticleIdentity.normalizedURL(url) == foundationKey(url), "\(url.debugDescription)")
        }
    }

    @Test("the source is the declared one, else the URL's host without www., else the fallback")
    func source() {
        var declared = DeclaredMetadata()
        declared.url = "https://WWW.Example.com/story"
        #expect(ArticleIdentity.source(declared: declared, fallback: "feed") == "example.com")
        declared.url = "not a url"
        #expect(ArticleIdentity.source(declared: declared, fallback: "feed") == "feed")
        declared.source = "Wire"
        #expect(ArticleIdentity.source(declared: declared, fallback: "feed") == "Wire")
    }
}
