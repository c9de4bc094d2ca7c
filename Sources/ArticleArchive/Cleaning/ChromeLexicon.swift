/// Words and phrases that mark site chrome (share, follow, subscribe, comment, related, copyright, cookie and ad
/// prompts) in the languages news arrives in most, plus the date and photo-credit vocabulary the cleaner uses.
/// Matching is on lower-cased word tokens, so punctuation and spacing do not matter.
enum ChromeLexicon {
    static let words: [String] = [
        // English
        "share", "shares", "tweet", "subscribe", "subscribed", "newsletter", "newsletters", "cookie", "cookies",
        "privacy", "advertisement", "advertisements", "advertising", "advertise", "sponsored", "related",
        "recommended", "trending", "comment", "comments", "reply", "replies", "print", "email", "facebook",
        "twitter", "whatsapp", "linkedin", "pinterest", "telegram", "instagram", "youtube", "reddit", "tiktok",
        "copyright", "menu", "search", "home", "login", "logout", "signup", "register",
        // French, Spanish, Portuguese, German, Italian, Dutch
        "partager", "partagez", "suivez", "abonnez", "publicité", "commentaire", "commentaires",
        "compartir", "compartilhar", "síguenos", "suscríbete", "publicidad", "comentario", "comentarios",
        "teilen", "folgen", "abonnieren", "werbung", "kommentar", "kommentare", "anzeige",
        "condividi", "seguici", "iscriviti", "pubblicità", "commenti", "commento", "delen", "reacties",
        // Russian, Turkish
        "поделиться", "подписаться", "реклама", "комментарии", "комментарий", "paylaş", "yorum", "yorumlar",
        // Arabic, Persian, Urdu
        "مشاركة", "شارك", "تابعنا", "اشترك", "تعليق", "تعليقات", "إعلان", "اعلان", "اشتراک", "نظرات",
        // Chinese, Japanese, Korean (single tokens after splitting)
        "分享", "评论", "廣告", "广告", "シェア", "コメント", "공유", "댓글",
    ]

    static let phrases: [String] = [
        "follow us", "sign in", "sign up", "log in", "log out", "read more", "see more", "load more", "show more",
        "view all", "most read", "most popular", "most viewed", "you may", "also read", "more from", "leave a",
        "all rights", "rights reserved", "skip to", "contact us", "about us", "terms of", "terms and",
        "lire aussi", "à lire", "leer más", "lea también", "mehr zum", "leggi anche", "اقرأ أيضا", "جميع الحقوق",
        "read also", "read next", "up next", "see also", "related articles", "related posts", "more stories",
    ]

    static let months: [String] = [
        "jan", "january", "feb", "february", "mar", "march", "apr", "april", "may", "jun", "june", "jul", "july",
        "aug", "august", "sep", "sept", "september", "oct", "october", "nov", "november", "dec", "december",
        "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
        "novembre", "décembre", "enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
        "septiembre", "octubre", "noviembre", "diciembre", "januar", "februar", "märz", "juni", "juli",
        "oktober", "dezember", "gennaio", "febbraio", "aprile", "maggio", "giugno", "luglio", "settembre",
        "ottobre", "dicembre",
    ]

    static let timeWords: [String] = [
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "mon", "tue", "tues", "wed",
        "thu", "thur", "thurs", "fri", "sat", "sun", "am", "pm", "gmt", "utc", "est", "edt", "pst", "pdt", "cet",
        "cest", "bst", "ist", "published", "updated", "posted", "ago", "hours", "hour", "minutes", "minute", "min",
        "mins", "hrs", "yesterday", "today", "at", "on", "et", "pt",
    ]

    static let photoCredits: [String] = [
        "ap", "afp", "reuters", "epa", "getty", "images", "shutterstock", "photo", "photos", "file", "credit",
        "xinhua", "dpa", "anadolu", "pool", "istock", "alamy", "unsplash", "wikimedia", "handout",
    ]

    static let captionPrefixes: [String] = [
        "photo:", "photo :", "photos:", "photograph:", "image:", "image :", "credit:", "credits:", "picture:",
        "foto:", "illustration:", "(photo", "(image", "file photo",
    ]

    // MARK: - Lookup by token hash

    static let wordByHash: [UInt64: String] = Dictionary(
        words.map { (WordTokenizer.hash($0), $0) }, uniquingKeysWith: { first, _ in first })
    static let phraseByHash: [UInt64: String] = Dictionary(
        phrases.compactMap { phrase -> (UInt64, String)? in
            let tokens = WordTokenizer.tokens(Substring(phrase))
            guard tokens.count == 2 else { return nil }
            return (WordTokenizer.phraseHash(tokens[0].hash, tokens[1].hash), phrase)
        }, uniquingKeysWith: { first, _ in first })
    static let wordHashes: Set<UInt64> = Set(wordByHash.keys)
    static let phraseHashes: Set<UInt64> = Set(phraseByHash.keys)
    static let captionPrefixBytes: [[UInt8]] = captionPrefixes.map { Array($0.utf8) }
    static let dateWordHashes: Set<UInt64> = Set((months + timeWords).map(WordTokenizer.hash))
    static let photoCreditHashes: Set<UInt64> = Set(photoCredits.map(WordTokenizer.hash))

    /// Flags in `tokenKinds`.
    static let chromeWordFlag: UInt8 = 1
    static let dateWordFlag: UInt8 = 2
    static let photoCreditFlag: UInt8 = 4

    /// What each lexicon token is (chrome word, date word, photo credit): one probe per token of a line.
    static let tokenKinds = TokenTable(
        wordHashes.map { ($0, chromeWordFlag) } + dateWordHashes.map { ($0, dateWordFlag) }
            + photoCreditHashes.map { ($0, photoCreditFlag) })
    /// The two-word chrome phrases, by `WordTokenizer.phraseHash`.
    static let phraseTable = TokenTable(phraseHashes.map { ($0, 1) })
}
