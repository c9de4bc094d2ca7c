#!/usr/bin/env python3
"""Build a corpus with many pages per site, from real article text, wrapped in per-site chrome.

Bodies are the article bodies people marked in ../shared/data/chrome_dev_wcxb.jsonl (real text); titles come
from their URLs. Each page is put on one of eight made-up sites, each with its own chrome: headers and menus,
bylines and dates, share lines (English, French, Arabic), related-headline lists that change from page to page
(some with timestamps glued on), captions and video ids inside the body, newsletter prompts, long "about us"
footers, cookie notices, copyright lines. Some articles get a second version (an update appended, a sentence
edited), and some are republished on the same site under another URL: the archive must keep their bodies whole.

Writes, into --out:
  feed.jsonl   records for `archive ingest` (text, url, fetched_at), in arrival order
  eval.jsonl   one line per article URL in the score_chrome.py format (id = URL, raw_text and expected_body of
               the article's latest version, must_include / must_exclude snippets)

  benchmarks/site_corpus.py --out DIR [--seed N] [--per-site N]
"""
import argparse
import json
import os
import random
import re

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "..", "shared", "data", "chrome_dev_wcxb.jsonl")

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
NAMES = ["Maria Lopez", "James Okafor", "Chen Wei", "Amira Haddad", "Lukas Becker", "Sofia Rossi", "Tom Walsh",
         "Nadia Karimi", "Pierre Martin", "Aisha Bello"]


def title_from_url(url):
    slug = [part for part in url.split("?")[0].split("/") if part][-1]
    slug = re.sub(r"\.(html?|php|aspx?)$", "", slug)
    words = [w for w in re.split(r"[-_]+", slug) if w and not re.fullmatch(r"[a-z]?\d+[a-z]?", w)]
    return " ".join(w.capitalize() for w in words) or "Untitled"


def date_text(rng):
    return f"{rng.choice(MONTHS)} {rng.randint(1, 28)}, {rng.randint(2019, 2025)}"


def glued_stamp(rng):
    return f"GMT {rng.randint(0, 23):02d}:{rng.randint(0, 59):02d} {rng.randint(2019, 2025)} {rng.choice(DAYS)} ,{rng.randint(1, 28)} {rng.choice(MONTHS)}"


class Site:
    """One made-up site: its fixed template and the chrome that varies per page."""

    def __init__(self, index, name, host, style, rng):
        self.index, self.name, self.host, self.style, self.rng = index, name, host, style, rng
        self.menu = rng.sample(["World", "Politics", "Business", "Tech", "Science", "Sport", "Culture", "Opinion",
                                "Health", "Travel", "Video", "Podcasts", "Climate", "Markets"], 7)
        self.titles = []  # titles of this site's articles, for related lists
        sections = ["World", "Politics", "Business", "Tech", "Science", "Sport", "Culture", "Opinion", "Health",
                    "Travel", "Video", "Podcasts", "Climate", "Markets", "Education", "Books", "Food", "Style",
                    "Weather", "Obituaries", "Letters", "Crosswords", "Newsletters", "Events", "Jobs", "Archive",
                    "Photography", "Investigations", "Local", "Motoring"]
        # Real pages carry a long navigation menu and a sitemap footer: one entry per line.
        self.navigation = rng.sample(sections, rng.randint(12, 22))
        self.sitemap = rng.sample(sections, rng.randint(10, 16)) + [
            "About us", "Contact", "Careers", "Advertise", "Privacy policy", "Cookie policy", "Terms and conditions",
            "Accessibility", "Site map"][: rng.randint(5, 9)]

    def related(self, own_title, count):
        pool = [t for t in self.titles if t != own_title] or [own_title]
        return [self.rng.choice(pool) for _ in range(count)]

    def page(self, title, body_paragraphs):
        """(raw_text, chrome_snippets) for one page of this site."""
        rng, s = self.rng, self.style
        top, bottom, chrome = [], [], []
        if s == "ledger":
            top = [self.name, "The news you need, every morning", "Skip to content", " | ".join(self.menu),
                   f"{title} | {self.name}", title, f"By {rng.choice(NAMES)} | {date_text(rng)}",
                   "Share: Facebook Twitter Email"]
            related = self.related(title, rng.randint(5, 9))
            bottom = ["Related stories"] + related + [
                f"© {rng.randint(2020, 2025)} {self.name}. All rights reserved.",
                "Privacy Policy | Terms of Use | Contact Us"]
            chrome = ["Share: Facebook Twitter Email", "All rights reserved"] + related[:2]
        elif s == "quotidien":
            top = ["Le Quotidien", "Accueil", "International", "Économie", "Culture", "Sport", title,
                   f"Publié le {rng.randint(1, 28)} {rng.choice(['janvier', 'mars', 'mai', 'octobre'])} 2024",
                   "Partager : Facebook Twitter LinkedIn"]
            lire = self.related(title, 1)[0]
            bottom = [f"Lire aussi : {lire}", "Nous utilisons des cookies pour améliorer votre expérience, mesurer "
                      "l'audience et vous proposer des contenus adaptés à vos centres d'intérêt.",
                      "© Le Quotidien 2024 - Tous droits réservés"]
            chrome = ["Partager : Facebook Twitter LinkedIn", "Nous utilisons des cookies pour améliorer votre "
                      "expérience", "Tous droits réservés"]
        elif s == "arab":
            top = ["الرئيسية", "أخبار", "اقتصاد", "رياضة", title, date_text(rng)]
            trending = self.related(title, rng.randint(5, 9))
            bottom = ["مشاركة :"] + [f"{t}{glued_stamp(rng)}" for t in trending] + [
                "Maintained and developed by Arabs Today Group SAL.", "جميع الحقوق محفوظة 2024 ©",
                "Send your comments", "Your comment as a visitor"]
            chrome = ["Send your comments", "Maintained and developed by Arabs Today Group SAL."] + trending[:2]
        elif s == "wire":
            top = [f"{self.name} | Breaking news and analysis", "Select Page", f"Media ID: {rng.randint(10**7, 10**8)}",
                   title, f"{date_text(rng)} {rng.randint(1, 12)}:{rng.randint(10, 59)} pm"]
            bottom = ["Most read"] + self.related(title, rng.randint(5, 9)) + [
                f"Copyright {rng.randint(2020, 2025)} {self.name}. All rights reserved."]
            chrome = ["Select Page", "Most read", "All rights reserved"]
        elif s == "post":
            about = (f"About us: The {self.name} is an independent newspaper founded in 1901, reporting on the "
                     "people, places and ideas that shape our region, with a newsroom of more than forty "
                     "journalists and photographers.")
            top = [self.name, " ".join(self.menu), "Subscribe", title]
            bottom = ["Tags: " + ", ".join(rng.sample(self.menu, 3)), about,
                      "Advertise with us. Careers. Contact the newsroom. Corrections policy."]
            chrome = ["About us: The", "Corrections policy"]
        elif s == "daily":
            signup = ("Sign up for our daily briefing to get the most important stories of the day delivered "
                      "straight to your inbox every weekday morning.")
            top = [f"{self.name} — {rng.choice(self.menu)}", title, f"Updated {rng.randint(1, 9)} hours ago"]
            bottom = [signup, "Trending now"] + [f"{t}..." for t in self.related(title, 3)] + [
                "© " + self.name]
            chrome = ["Sign up for our daily briefing", "Trending now"]
        elif s == "media":
            top = [self.name, title, f"by {rng.choice(NAMES)}", date_text(rng)]
            bottom = ["Watch more videos", "More from " + self.name] + self.related(title, 3) + [
                "Terms of Service | Privacy | Cookie settings"]
            chrome = ["Watch more videos", "Cookie settings"]
        else:  # "forum"
            top = ["Log in", "Register", self.name, " > ".join(["Home", rng.choice(self.menu), "Articles"]), title]
            bottom = ["Print this article", "Email this article",
                      f"This article was originally published by {self.name} and is reproduced here with the "
                      "permission of its editors; views expressed belong to the authors alone.",
                      "Powered by Discourse"]
            chrome = ["Print this article", "originally published by"]

        top = self.navigation + top
        bottom = bottom + self.sitemap
        body = list(body_paragraphs)
        if s == "media" and len(body) > 3:
            at = rng.randint(1, len(body) - 2)
            body[at:at] = [f"{rng.randint(10**12, 10**13)} {rng.randbytes(4).hex()}-{rng.randbytes(2).hex()}", "video",
                           f"{title} ({rng.choice(['AP', 'Reuters', 'AFP'])} Photo)"]
        if s == "daily" and len(body) > 4:
            at = rng.randint(2, len(body) - 2)
            body[at:at] = ["Advertisement"]
        separator = "\n\n" if s in ("ledger", "post", "media") else "\n"
        return separator.join(top + body + bottom), chrome


SITES = [("The Daily Ledger", "dailyledger.example", "ledger"), ("Le Quotidien", "lequotidien.example", "quotidien"),
         ("Arabs Today", "arabstoday.example", "arab"), ("Global Wire", "globalwire.example", "wire"),
         ("Morning Post", "morningpost.example", "post"), ("The Daily Brief", "dailybrief.example", "daily"),
         ("Newsreel", "newsreel.example", "media"), ("Open Forum", "openforum.example", "forum")]


def paragraphs(body, words=450):
    """The body's first paragraphs, about `words` long: a news article's length rather than a long guide's."""
    kept, count = [], 0
    for paragraph in (p.strip() for p in body.split("\n")):
        if not paragraph:
            continue
        kept.append(paragraph)
        count += len(paragraph.split())
        if count >= words:
            break
    return kept


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", required=True)
    parser.add_argument("--data", default=DATA)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--per-site", type=int, default=60)
    args = parser.parse_args()
    rng = random.Random(args.seed)

    pages = [json.loads(line) for line in open(args.data, encoding="utf-8")]
    pages = [p for p in pages if len(p["expected_body"].split()) >= 150 and len(paragraphs(p["expected_body"])) >= 3]
    rng.shuffle(pages)
    sites = [Site(i, name, host, style, random.Random(args.seed * 100 + i)) for i, (name, host, style) in enumerate(SITES)]
    articles = []  # (site, url, title, body paragraphs)
    for i, page in enumerate(pages[: len(sites) * args.per_site]):
        site = sites[i % len(sites)]
        title = title_from_url(page["url"])
        site.titles.append(title)
        articles.append((site, f"https://{site.host}/{2024 + i % 2}/{i:04d}/{title.lower().replace(' ', '-')}",
                         title, paragraphs(page["expected_body"])))

    arrivals = []  # (url, site, title, paragraphs)
    for site, url, title, body in articles:
        arrivals.append((url, site, title, body))
        roll = rng.random()
        if roll < 0.15:  # a second version: an update appended, or a sentence edited
            if rng.random() < 0.5:
                updated = body + [f"Update: this story was updated on {date_text(rng)} with new information from "
                                  "officials who responded after publication."]
            else:
                updated = list(body)
                k = rng.randrange(len(updated))
                updated[k] = updated[k].replace(" the ", " this ", 1) + " (corrected)"
            arrivals.append((url, site, title, updated))
        elif roll < 0.25:  # republished on the same site under another URL
            arrivals.append((url.replace("/20", "/republished/20"), site, title, body))
    rng.shuffle(arrivals)

    os.makedirs(args.out, exist_ok=True)
    latest = {}
    with open(os.path.join(args.out, "feed.jsonl"), "w", encoding="utf-8") as feed:
        for url, site, title, body in arrivals:
            raw, chrome = site.page(title, body)
            feed.write(json.dumps({"text": raw, "url": url, "fetched_at": "2025-06-01T00:00:00Z"},
                                  ensure_ascii=False) + "\n")
            latest[url] = (site, raw, body, chrome)
    with open(os.path.join(args.out, "eval.jsonl"), "w", encoding="utf-8") as out:
        for url, (site, raw, body, chrome) in sorted(latest.items()):
            sentences = [p for p in body if len(p.split()) >= 12] or body
            snippets = [p[:80] for p in sentences[:: max(1, len(sentences) // 4)]][:5]
            out.write(json.dumps({"id": url, "site": site.host, "url": url, "raw_text": raw,
                                  "expected_body": "\n\n".join(body), "must_include": snippets,
                                  "must_exclude": chrome}, ensure_ascii=False) + "\n")
    print(f"{len(arrivals)} arrivals, {len(latest)} article URLs on {len(sites)} sites -> {args.out}")


if __name__ == "__main__":
    main()
