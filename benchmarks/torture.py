#!/usr/bin/env python3
"""Crash and concurrency torture for the archive.

Rounds: start `archive ingest --verbose` of a few thousand articles (a JSONL feed with versions and repeats),
kill -9 it at a random moment, then check:
  - `archive verify` passes (every object hashes right, every catalog reference resolves);
  - every batch the ingest logged as committed is in the catalog, with its captures;
  - the interrupted run holds whole batches only (a half-done batch is absent or complete; batches start at 64
    arrivals and double up to --batch-size);
  - the next round's ingest continues normally.
Then one ingest runs to completion, `archive gc --grace 0` removes the orphans of killed runs, and verify passes.

Concurrency: 3 ingests of the same feeds at once (with a reader listing clusters) must all succeed and give the
same articles and versions as one ingest of the feeds after another.

  benchmarks/torture.py [--rounds 100] [--articles 3000] [--archive BINARY] [--seed N]
"""
import argparse
import json
import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
DATA = os.path.join(ROOT, "..", "shared", "data", "chrome_dev_wcxb.jsonl")
COMMITTED = re.compile(r"committed (\d+) captures of run (\d+)")


def batch_ends(batch_size, accepted):
    """How many captures a run holds after each whole batch: batches start at 64 input lines and double up to
    `batch_size`, the last one holding the rest; a batch's rejected lines (blank bodies) make no capture.
    `accepted[i]` is whether line i is archivable."""
    total = len(accepted)
    prefix = [0]
    for ok in accepted:
        prefix.append(prefix[-1] + ok)
    ends, size, done = {0, prefix[total]}, min(batch_size, 64), 0
    while done < total:
        done = min(total, done + size)
        ends.add(prefix[done])
        size = min(batch_size, size * 2)
    return ends


def make_feed(path, articles, rng):
    bodies = [json.loads(line)["expected_body"] for line in open(DATA, encoding="utf-8")]
    with open(path, "w", encoding="utf-8") as out:
        for index in range(articles):
            body = rng.choice(bodies)[:5000]
            if rng.random() < 0.2:
                body += f"\nUpdate {rng.randint(1, 3)}: officials added details."
            out.write(json.dumps({"text": body, "url": f"https://site{index % 7}.example/{index % (articles // 2)}"})
                      + "\n")


def run_captures(store, run):
    with sqlite3.connect(os.path.join(store, "catalog.sqlite")) as db:
        return db.execute("SELECT count(*) FROM captures WHERE run_id = ?", (run,)).fetchone()[0]


def last_run(store):
    """The last ingest run the archive records: its id and when it finished (0 and None for none, or no archive)."""
    if not os.path.exists(os.path.join(store, "catalog.sqlite")):
        return 0, None
    with sqlite3.connect(os.path.join(store, "catalog.sqlite")) as db:
        return db.execute(
            "SELECT id, finished_at FROM ingest_runs ORDER BY id DESC LIMIT 1").fetchone() or (0, None)


def verify(binary, store):
    result = subprocess.run([binary, "verify", "--store", store], capture_output=True, text=True)
    return result.returncode == 0, result.stdout[-500:]


def catalog_summary(binary, store):
    articles = json.loads(subprocess.run([binary, "list", "--store", store, "--json"], check=True,
                                         capture_output=True).stdout)
    return sorted((a["key"], a["versions"]) for a in articles)


def bodies_by_article(store):
    with sqlite3.connect(os.path.join(store, "catalog.sqlite")) as db:
        return set(db.execute("SELECT a.key, v.raw_object FROM versions v JOIN articles a ON a.id = v.article_id"))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=100)
    parser.add_argument("--articles", type=int, default=3000)
    parser.add_argument("--batch-size", type=int, default=200)
    parser.add_argument("--archive", default=os.path.join(ROOT, ".build/release/archive"))
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    work = tempfile.mkdtemp(prefix="torture-")
    store = os.path.join(work, "archive")
    feeds = [os.path.join(work, f"feed-{n}.jsonl") for n in range(3)]
    accepted = {}  # per feed, whether each line is archivable (some WCXB bodies are blank and get rejected)
    for feed in feeds:
        make_feed(feed, args.articles, rng)
        with open(feed, encoding="utf-8") as lines:
            accepted[feed] = [bool(json.loads(line)["text"].strip()) for line in lines]

    failures = []
    started = time.perf_counter()
    # A full first ingest takes how long? Kill anywhere within it.
    probe = time.perf_counter()
    subprocess.run([args.archive, "ingest", "--store", os.path.join(work, "probe"), feeds[0]], check=True,
                   capture_output=True)
    full = time.perf_counter() - probe
    for round_number in range(1, args.rounds + 1):
        feed = feeds[round_number % len(feeds)]
        run_before, _ = last_run(store)
        process = subprocess.Popen([args.archive, "ingest", "--verbose", "--batch-size", str(args.batch_size),
                                    "--store", store, feed], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                   text=True)
        time.sleep(rng.uniform(0, full * 1.1))
        process.send_signal(signal.SIGKILL)
        _, log = process.communicate()
        committed = {}
        for count, run in COMMITTED.findall(log):
            committed[int(run)] = committed.get(int(run), 0) + int(count)
        ok, report = verify(args.archive, store)
        if not ok:
            failures.append(f"round {round_number}: verify failed: {report}")
        for run, count in committed.items():
            recorded = run_captures(store, run)
            if recorded < count:
                failures.append(f"round {round_number}: run {run} logged {count} committed captures, catalog has {recorded}")
        last, finished = last_run(store)
        # Killed before it recorded its run, this round's ingest left the last run to an earlier round (of another
        # feed, already checked).
        if last > run_before and finished is None:
            # Killed after its last commit but before marking the run finished, a run holds everything.
            recorded = run_captures(store, last)
            if recorded not in batch_ends(args.batch_size, accepted[feed]):
                failures.append(f"round {round_number}: run {last} holds {recorded} captures, "
                                f"not whole batches (64, 128, ... up to {args.batch_size} arrivals)")
        print(f"round {round_number}: killed after {len(committed) and sum(committed.values())} committed "
              f"captures; verify {'ok' if ok else 'FAILED'}", flush=True)

    # Exit status 2 only says some feed lines were rejected (blank bodies); the rest is archived.
    final = subprocess.run([args.archive, "ingest", "--store", store, feeds[0]], capture_output=True, text=True)
    if final.returncode not in (0, 2):
        failures.append(f"final ingest failed: {final.stderr[-300:]}")
    gc = subprocess.run([args.archive, "gc", "--store", store, "--grace", "0"], capture_output=True, text=True)
    print(gc.stdout.strip())
    ok, report = verify(args.archive, store)
    if not ok:
        failures.append(f"verify after gc failed: {report}")

    # Concurrency: three ingesters over the same file, and a reader, against the three one after another.
    together, apart = os.path.join(work, "together"), os.path.join(work, "apart")
    processes = [subprocess.Popen([args.archive, "ingest", "--store", together, feeds[0]], stdout=subprocess.DEVNULL,
                                  stderr=subprocess.PIPE, text=True) for _ in range(3)]
    time.sleep(0.5)
    reader = subprocess.run([args.archive, "clusters", "--store", together, "--json"], capture_output=True, text=True)
    for process in processes:
        _, errors = process.communicate()
        if process.returncode not in (0, 2) or "locked" in errors:
            failures.append(f"concurrent ingest failed ({process.returncode}): {errors[-300:]}")
    if reader.returncode != 0:
        failures.append(f"reader failed during concurrent ingests: {reader.stderr[-300:]}")
    for _ in range(3):
        subprocess.run([args.archive, "ingest", "--store", apart, feeds[0]], capture_output=True)
    # Which bodies each article had does not depend on how the runs interleaved (the order of versions can).
    same_articles = [k for k, _ in catalog_summary(args.archive, together)] == \
        [k for k, _ in catalog_summary(args.archive, apart)]
    same_bodies = bodies_by_article(together) == bodies_by_article(apart)
    stats = [json.loads(subprocess.run([args.archive, "stats", "--store", s, "--json"], check=True,
                                       capture_output=True).stdout) for s in (together, apart)]
    if not same_articles or not same_bodies or stats[0]["captures"] != stats[1]["captures"]:
        failures.append(f"concurrent and sequential catalogs differ: {stats[0]} vs {stats[1]}")
    ok, report = verify(args.archive, together)
    if not ok:
        failures.append(f"verify after concurrent ingests failed: {report}")
    print(f"concurrent: 3 ingesters + a reader; articles {'equal' if same_articles else 'DIFFER'}, "
          f"bodies per article {'equal' if same_bodies else 'DIFFER'}, captures "
          f"{stats[0]['captures']} vs {stats[1]['captures']}, versions {stats[0]['versions']} vs {stats[1]['versions']}")

    print(f"{args.rounds} kill -9 rounds, {len(failures)} failures, {time.perf_counter() - started:.0f} s")
    for failure in failures:
        print("FAILURE:", failure)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
