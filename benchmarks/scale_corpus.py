#!/usr/bin/env python3
"""Generate an ingest feed of any size from real text: stories, republications, versions and re-fetches.

Sentences come from the bodies people marked in ../shared/data/chrome_dev_wcxb.jsonl (real prose in many
languages). Each story is 18-34 of those sentences in paragraphs, published on one of 40 sites built from the eight
chrome styles of site_corpus.py (menus, share lines, related headlines, footers), so a page is 3-5 KB. Then, in
proportions seen in news crawls:
  - 20% of stories are republished on 1-3 other sites (other chrome, a sentence dropped or a word changed),
  - 8% get a second version later (an update appended or a sentence corrected),
  - 12% of pages are fetched again later, byte for byte unchanged.
Follow-up arrivals come a few thousand arrivals after the first one, so the feed streams in rough time order and
the generator's memory stays bounded whatever the size.

  benchmarks/scale_corpus.py --articles 100000 --out /tmp/feed-100k.jsonl [--seed 7]

--articles counts arrivals (lines of the feed).
"""
import argparse
import heapq
import json
import os
import random
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from site_corpus import DATA, SITES, Site, date_text  # noqa: E402

SENTENCE_END = re.compile(r"(?<=[.!?。！？])\s+")


def sentence_pool(path):
    pool = []
    for line in open(path, encoding="utf-8"):
        body = json.loads(line)["expected_body"]
        for paragraph in body.split("\n"):
            for sentence in SENTENCE_END.split(paragraph.strip()):
                if 8 <= len(sentence.split()) <= 60 or (len(sentence) >= 40 and " " not in sentence):
                    pool.append(sentence.strip())
    return pool


class Story:
    def __init__(self, number, rng, pool):
        count = rng.randint(18, 34)
        sentences = [rng.choice(pool) for _ in range(count)]
        self.paragraphs, at = [], 0
        while at < len(sentences):
            size = rng.randint(1, 4)
            self.paragraphs.append(" ".join(sentences[at:at + size]))
            at += size
        words = rng.choice(pool).split()[:9]
        self.title = " ".join(words).rstrip(".,;:") + f" ({number})"
        self.slug = re.sub(r"[^a-z0-9]+", "-", self.title.lower()).strip("-")[:60]


def edited(paragraphs, rng):
    """A republisher's copy: a sentence dropped, or a word changed."""
    copy = list(paragraphs)
    k = rng.randrange(len(copy))
    if rng.random() < 0.5 and len(copy) > 3:
        del copy[k]
    else:
        copy[k] = copy[k].replace(" the ", " a ", 1)
    return copy


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, required=True, help="arrivals to write")
    parser.add_argument("--out", required=True)
    parser.add_argument("--data", default=DATA)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    pool = sentence_pool(args.data)
    sites = []
    for i in range(40):
        name, host, style = SITES[i % len(SITES)]
        sites.append(Site(i, f"{name} {i // len(SITES) + 1}", f"s{i}.{host}", style, random.Random(args.seed * 100 + i)))

    pending = []  # (due arrival number, tie, site, url, title, paragraphs)
    written = stories = tie = 0
    counts = {"new": 0, "republication": 0, "version": 0, "refetch": 0}
    with open(args.out, "w", encoding="utf-8") as feed:
        def emit(site, url, title, paragraphs, kind):
            """Writes one arrival; `paragraphs` is the page itself (a str) for an unchanged re-fetch."""
            nonlocal written
            raw = paragraphs if isinstance(paragraphs, str) else site.page(title, paragraphs)[0]
            day = 1 + written * 28 // max(1, args.articles)
            feed.write(json.dumps({"text": raw, "url": url, "fetched_at": f"2026-02-{day:02d}T08:00:00Z"},
                                  ensure_ascii=False) + "\n")
            written += 1
            counts[kind] += 1
            return raw

        def later(site, url, title, paragraphs, kind):
            nonlocal tie
            tie += 1
            heapq.heappush(pending, (written + rng.randint(50, 4000), tie, site, url, title, paragraphs, kind))

        while written < args.articles:
            if pending and pending[0][0] <= written:
                _, _, site, url, title, paragraphs, kind = heapq.heappop(pending)
                emit(site, url, title, paragraphs, kind)
                continue
            stories += 1
            story = Story(stories, rng, pool)
            site = rng.choice(sites)
            site.titles = site.titles[-200:] + [story.title]
            url = f"https://{site.host}/2026/{stories}/{story.slug}"
            page = emit(site, url, story.title, story.paragraphs, "new")
            if rng.random() < 0.20:
                for other in rng.sample([s for s in sites if s is not site], rng.randint(1, 3)):
                    later(other, f"https://{other.host}/wire/{stories}/{story.slug}", story.title,
                          edited(story.paragraphs, rng), "republication")
            if rng.random() < 0.08:
                update = story.paragraphs + [f"Update, {date_text(rng)}: officials responded after publication and "
                                             "this story has been updated with their statement."]
                later(site, url, story.title, update, "version")
            if rng.random() < 0.12:
                later(site, url, story.title, page, "refetch")
    size = os.path.getsize(args.out)
    print(f"{written} arrivals of {stories} stories ({counts}), {size / 1e6:.1f} MB -> {args.out}")


if __name__ == "__main__":
    main()
