#!/usr/bin/env python3
"""Is one build of `archive` cheaper than another at ingest? Both ingest the same feed at the same time, each pinned
to a core of its own, and swap cores every round, so the machine's drift (up to 20% from hour to hour here) and
whatever else runs touch both alike. Prints each run's CPU seconds (user + system) and peak memory, and the CPU
ratio of each round.

  python3 benchmarks/paired_ingest.py OLD_BINARY NEW_BINARY FEED.jsonl [--rounds 2]

One core each means each ingest's preparing threads and writer share it: the CPU seconds are what the ingest
costs, not how fast it runs on both cores (`benchmarks/ingest_scale.py` measures that). Needs `taskset`.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import tempfile


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("old")
    parser.add_argument("new")
    parser.add_argument("feed")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    if os.cpu_count() < 2:
        raise SystemExit("paired_ingest.py needs two cores")
    work = tempfile.mkdtemp(prefix="paired-ingest-")
    ratios = []
    try:
        for round_number in range(args.rounds):
            cores = {"old": 0, "new": 1} if round_number % 2 == 0 else {"old": 1, "new": 0}
            processes = {}
            for name, binary in (("old", args.old), ("new", args.new)):
                store = os.path.join(work, name)
                shutil.rmtree(store, ignore_errors=True)
                # `time` reports each child's own CPU seconds, whichever finishes first.
                processes[name] = subprocess.Popen(
                    ["/usr/bin/time", "-f", "%e %U %S %M", "taskset", "-c", str(cores[name]), binary, "ingest",
                     "--store", store, "--quiet", args.feed],
                    stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            seconds = {}
            for name, process in processes.items():
                _, stderr = process.communicate()
                if process.returncode != 0:
                    raise SystemExit(f"{name} binary failed:\n{stderr}")
                wall, user, system, peak_kb = map(float, stderr.strip().splitlines()[-1].split())
                seconds[name] = user + system
                print(f"round {round_number + 1}: {name} on core {cores[name]}: {user + system:.2f} s CPU "
                      f"({wall:.2f} s wall), peak {peak_kb / 1024:.1f} MB")
            ratios.append(seconds["new"] / seconds["old"])
            print(f"round {round_number + 1}: new / old CPU {ratios[-1]:.3f}")
        print(f"median new / old CPU over {len(ratios)} rounds: {statistics.median(ratios):.3f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
