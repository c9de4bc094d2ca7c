#!/usr/bin/env python3
"""What does a re-fetch cost? Feeds are polled again and again, and most of what comes back is unchanged: this
ingests a feed into a fresh archive once, then ingests the same feed again into copies of it, by turns with each
binary given, and prints the wall and CPU seconds of each second pass, and their medians.

  python3 benchmarks/refetch_ingest.py FEED.jsonl BINARY [BINARY ...] [--rounds 3]

The first pass is made with the first binary. A feed from scale_corpus.py holds a few versions of some articles, so
a second pass also makes new versions (an earlier body arriving after the latest is a change too).
"""
import argparse
import os
import shutil
import statistics
import subprocess
import tempfile


def timed_ingest(binary, store, feed):
    result = subprocess.run(
        ["/usr/bin/time", "-f", "%e %U %S", binary, "ingest", "--store", store, "--quiet", feed],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if result.returncode != 0:
        raise SystemExit(f"{binary} failed:\n{result.stderr}")
    wall, user, system = map(float, result.stderr.strip().splitlines()[-1].split())
    return wall, user + system


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("feed")
    parser.add_argument("binaries", nargs="+")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="refetch-ingest-")
    try:
        base = os.path.join(work, "base")
        wall, cpu = timed_ingest(args.binaries[0], base, args.feed)
        print(f"first pass ({args.binaries[0]}): {wall:.2f} s wall, {cpu:.2f} s CPU")
        seconds = {binary: [] for binary in args.binaries}
        for round_number in range(args.rounds):
            for binary in args.binaries:
                store = os.path.join(work, "again")
                shutil.rmtree(store, ignore_errors=True)
                shutil.copytree(base, store)
                wall, cpu = timed_ingest(binary, store, args.feed)
                seconds[binary].append((wall, cpu))
                print(f"round {round_number + 1}: {binary}: {wall:.2f} s wall, {cpu:.2f} s CPU")
        for binary, runs in seconds.items():
            print(f"{binary}: second pass, medians {statistics.median(w for w, _ in runs):.2f} s wall, "
                  f"{statistics.median(c for _, c in runs):.2f} s CPU")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
