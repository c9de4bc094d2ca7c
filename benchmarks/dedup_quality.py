#!/usr/bin/env python3
"""Near-duplicate clustering quality through the whole pipeline (ingest -> clean -> fingerprint -> LSH ->
verified edges -> clusters), scored pairwise against ground truth.

Stories are real article bodies (../shared/data/chrome_dev_wcxb.jsonl, cut to news length); many share a topic
(several backpacking lists, several solar guides...). Each story is published on 1 to 4 of the eight made-up sites
of site_corpus.py, each copy in its site's chrome and with the edits republishers make: paragraphs merged or
split, straight and curly quotes swapped, a sentence dropped or added, a word changed, an update appended, or
only the first half kept (a wire excerpt). Some copies are later updated in place (a new version).

For each threshold it prints pairwise precision, recall and F1 of "same story" over all article pairs, the
pairs of distinct stories merged, and how long ingest and `archive clusters` took.

  benchmarks/dedup_quality.py [--stories 300] [--archive BINARY] [--work DIR] [--thresholds 0.3,0.4,0.5,0.6]
"""
import argparse
import itertools
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections import defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import site_corpus  # noqa: E402


def swap_quotes(text, rng):
    if rng.random() < 0.5:
        return text.replace("“", '"').replace("”", '"').replace("’", "'")
    out, opening = [], True
    for ch in text:
        if ch == '"':
            out.append("“" if opening else "”")
            opening = not opening
        else:
            out.append(ch.replace("'", "’"))
    return "".join(out)


def edit(paragraphs, rng, others):
    """A republisher's copy of a story: (paragraphs, kind)."""
    body = list(paragraphs)
    kind = rng.choice(["breaks", "quotes", "drop", "add", "word", "update", "excerpt", "breaks+word"])
    if kind == "excerpt" and len(body) >= 4:
        return body[: max(2, len(body) // 2)], kind
    if "breaks" in kind and len(body) >= 3:
        i = rng.randrange(len(body) - 1)
        body[i:i + 2] = [body[i] + " " + body[i + 1]]
    if "word" in kind:
        i = rng.randrange(len(body))
        words = body[i].split()
        if len(words) > 3:
            words[rng.randrange(len(words))] = rng.choice(["reportedly", "officials", "Tuesday", "new", "several"])
            body[i] = " ".join(words)
    if kind == "quotes":
        body = [swap_quotes(p, rng) for p in body]
    if kind == "drop" and len(body) >= 3:
        i = rng.randrange(len(body))
        sentences = body[i].split(". ")
        body[i] = ". ".join(sentences[:-1]) if len(sentences) > 1 else body[i]
        if not body[i]:
            del body[i]
    if kind == "add":
        donor = rng.choice(others)
        body.insert(rng.randrange(len(body) + 1), donor[0])
    if kind == "update":
        body.append("Update: this story has been updated with comment from officials who responded after "
                    "publication and with the latest figures.")
    return body, kind


def pairwise(clusters_of, truth_of):
    keys = sorted(truth_of)
    tp = fp = fn = 0
    merged = []
    for a, b in itertools.combinations(keys, 2):
        same_truth = truth_of[a] == truth_of[b]
        same_cluster = clusters_of.get(a) is not None and clusters_of.get(a) == clusters_of.get(b)
        if same_truth and same_cluster:
            tp += 1
        elif same_cluster:
            fp += 1
            merged.append((a, b))
        elif same_truth:
            fn += 1
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1, tp, fp, fn, merged


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stories", type=int, default=300)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--archive", default=os.path.join(ROOT, ".build/release/archive"))
    parser.add_argument("--data", default=site_corpus.DATA)
    parser.add_argument("--work")
    parser.add_argument("--thresholds", default="0.3,0.4,0.5,0.6,0.7,0.8")
    args = parser.parse_args()
    rng = random.Random(args.seed)

    pages = [json.loads(line) for line in open(args.data, encoding="utf-8")]
    pages = [p for p in pages if len(p["expected_body"].split()) >= 200]
    rng.shuffle(pages)
    stories = [(i, site_corpus.title_from_url(p["url"]), site_corpus.paragraphs(p["expected_body"]))
               for i, p in enumerate(pages[: args.stories])]
    sites = [site_corpus.Site(i, name, host, style, random.Random(args.seed * 100 + i))
             for i, (name, host, style) in enumerate(site_corpus.SITES)]
    for site in sites:
        site.titles = [title for _, title, _ in stories]

    arrivals, truth = [], {}
    kinds = defaultdict(int)
    for story, title, body in stories:
        copies = rng.choice([1, 1, 2, 2, 3, 4])
        for n, site in enumerate(rng.sample(sites, copies)):
            text, kind = (body, "original") if n == 0 else edit(body, rng, [s[2] for s in stories])
            kinds[kind] += 1
            url = f"https://{site.host}/news/{story:04d}-{n}"
            truth[url] = story
            arrivals.append((url, site, title, text))
            if rng.random() < 0.1:  # updated in place later: a new version of the same article
                arrivals.append((url, site, title, text + ["Correction: an earlier version misstated a date."]))
    order = list(range(len(arrivals)))
    rng.shuffle(order)

    work = args.work or tempfile.mkdtemp(prefix="dedup-quality-")
    os.makedirs(work, exist_ok=True)
    feed, store = os.path.join(work, "feed.jsonl"), os.path.join(work, "archive")
    subprocess.run(["rm", "-rf", store], check=True)
    with open(feed, "w", encoding="utf-8") as out:
        for index in order:
            url, site, title, text = arrivals[index]
            raw, _ = site.page(title, text)
            out.write(json.dumps({"text": raw, "url": url}, ensure_ascii=False) + "\n")

    started = time.perf_counter()
    subprocess.run([args.archive, "ingest", "--store", store, feed], check=True, stdout=sys.stderr)
    ingest_seconds = time.perf_counter() - started
    print(f"{len(stories)} stories, {len(truth)} articles, {len(arrivals)} arrivals "
          f"(copies: {dict(sorted(kinds.items()))}); ingest {ingest_seconds:.2f} s")
    print(f"{'threshold':>9} {'P':>6} {'R':>6} {'F1':>6} {'TP':>6} {'FP':>5} {'FN':>5} {'clusters':>8} {'seconds':>7}")
    for threshold in [float(t) for t in args.thresholds.split(",")]:
        started = time.perf_counter()
        listing = subprocess.run([args.archive, "clusters", "--store", store, "--json", "--min-size", "1",
                                  "--threshold", str(threshold)], check=True, capture_output=True).stdout
        seconds = time.perf_counter() - started
        clusters = json.loads(listing)
        cluster_of = {m["key"]: c["id"] for c in clusters for m in c["members"]}
        p, r, f1, tp, fp, fn, merged = pairwise(cluster_of, truth)
        print(f"{threshold:>9.2f} {p:>6.3f} {r:>6.3f} {f1:>6.3f} {tp:>6} {fp:>5} {fn:>5} {len(clusters):>8} "
              f"{seconds:>7.2f}")
        for a, b in merged[:3]:
            print(f"          merged distinct stories: {a} ~ {b}")


if __name__ == "__main__":
    main()
