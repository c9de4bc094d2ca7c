#!/usr/bin/env python3
"""Chrome-stripping quality of the whole pipeline (ingest -> clean -> export), scored by score_chrome.py.

  --corpus wcxb   the 710 WCXB development pages (../shared/data): each page's raw text is ingested as JSONL
                  (text, key = page id, url, source = site); mostly one page per site, so little to learn.
  --corpus sites  benchmarks/site_corpus.py's corpus: real bodies on eight sites with their own chrome, many
                  pages per site, with versions and same-site republications; the archive learns each template.

Pages come back through `archive export --format jsonl` and are scored against the bodies people marked.
With --reclean, `archive reclean` runs before the export, so every page is cleaned with all that was learned.

  benchmarks/chrome_quality.py [--corpus wcxb|sites] [--reclean] [--archive BINARY] [--work DIR]
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", choices=["wcxb", "sites"], default="wcxb")
    parser.add_argument("--archive", default=os.path.join(ROOT, ".build/release/archive"))
    parser.add_argument("--data", default=os.path.join(ROOT, "../shared/data/chrome_dev_wcxb.jsonl"))
    parser.add_argument("--scorer", default=os.path.join(ROOT, "../shared/tools/score_chrome.py"))
    parser.add_argument("--reclean", action="store_true", help="run `archive reclean` before exporting")
    parser.add_argument("--work", help="keep the archive and predictions in this folder")
    args = parser.parse_args()

    work = args.work or tempfile.mkdtemp(prefix="chrome-quality-")
    os.makedirs(work, exist_ok=True)
    feed, store = os.path.join(work, "feed.jsonl"), os.path.join(work, "archive")
    exported, predictions = os.path.join(work, "export.jsonl"), os.path.join(work, "predictions.jsonl")
    subprocess.run(["rm", "-rf", store], check=True)
    evaluation = args.data
    if args.corpus == "sites":
        subprocess.run([sys.executable, os.path.join(HERE, "site_corpus.py"), "--out", work, "--data", args.data],
                       check=True, stdout=sys.stderr)
        evaluation = os.path.join(work, "eval.jsonl")
        with open(feed, encoding="utf-8") as source:
            pages = sum(1 for _ in source)
    else:
        pages = 0
        with open(args.data, encoding="utf-8") as source, open(feed, "w", encoding="utf-8") as out:
            for line in source:
                page = json.loads(line)
                out.write(json.dumps({"text": page["raw_text"], "key": page["id"], "url": page["url"],
                                      "source": page["site"]}) + "\n")
                pages += 1
    started = time.perf_counter()
    subprocess.run([args.archive, "ingest", "--store", store, feed], check=True, stdout=sys.stderr)
    ingest_seconds = time.perf_counter() - started
    if args.reclean:
        subprocess.run([args.archive, "reclean", "--store", store], check=True, stdout=sys.stderr)
    subprocess.run([args.archive, "export", "--store", store, "--format", "jsonl", "--out", exported], check=True)
    with open(exported, encoding="utf-8") as source, open(predictions, "w", encoding="utf-8") as out:
        for line in source:
            record = json.loads(line)
            out.write(json.dumps({"id": record["key"], "cleaned_text": record["text"]}) + "\n")
    print(f"{pages} pages ingested (clean + hash + compress + commit) in {ingest_seconds:.2f} s "
          f"({pages / ingest_seconds:.0f} pages/s)")
    sys.stdout.flush()
    subprocess.run([sys.executable, args.scorer, evaluation, predictions], check=True)


if __name__ == "__main__":
    main()
