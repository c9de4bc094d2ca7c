import Testing
@testable import ArticleArchive

@Suite("Layout cleaner")
struct LayoutCleanerTests {
    @Test("normalises line endings, BOM, trailing spaces and blank runs, keeping every word")
    func normalises() {
        let raw = "\u{FEFF}Title line  \r\n\r\n\r\nFirst paragraph.\rSecond paragraph.\t\n\n\n\nLast.\n\n"
        #expect(LayoutCleaner().clean(raw).text == "Title line\n\nFirst paragraph.\nSecond paragraph.\n\nLast.")
    }

    @Test("leaves clean text as it is")
    func idempotent() {
        let text = "One.\n\nTwo, with “quotes” and مشاركة."
        #expect(LayoutCleaner().clean(text).text == text)
        #expect(LayoutCleaner().clean(LayoutCleaner().clean(text).text).text == text)
    }
}
