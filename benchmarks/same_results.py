#!/usr/bin/env python3
"""Do two archives of the same feed hold the same results? For checking that a speed change changes nothing.

Compares what a user can see: every article's versions and raw objects, its current cleaned text and title, the
captures' outcomes, the verified similarity edges (to 1e-9), the clusters, and the `export --dedup` output.
Article ids may differ between the two (they are compared by key).

  python3 benchmarks/same_results.py ARCHIVE_A ARCHIVE_B [--binary .build/release/archive]

Exits 1, naming the first differences, when anything differs.
"""
import argparse
import json
import os
import sqlite3
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def catalog(path):
    db = sqlite3.connect(f"file:{os.path.join(path, 'catalog.sqlite')}?mode=ro", uri=True)
    key_of = dict(db.execute("SELECT id, key FROM articles"))
    views = {
        "articles": sorted(db.execute("SELECT key, url, source, title FROM articles")),
        "versions": sorted(db.execute("""
            SELECT a.key, v.number, v.raw_object, (SELECT object FROM cleanings WHERE version_id = v.id
                ORDER BY id DESC LIMIT 1), (SELECT title FROM cleanings WHERE version_id = v.id ORDER BY id DESC LIMIT 1)
            FROM versions v JOIN articles a ON a.id = v.article_id""")),
        "captures": sorted(db.execute("""
            SELECT a.key, c.outcome, c.input_line, c.input_sha256 FROM captures c JOIN articles a ON a.id = c.article_id
            """), key=repr),
        "edges": sorted((min(key_of[a], key_of[b]), max(key_of[a], key_of[b]), round(j, 9), round(c, 9))
                        for a, b, j, c in db.execute("SELECT a, b, jaccard, containment FROM similarity_edges")),
    }
    db.close()
    return views


def command_output(binary, *arguments):
    return subprocess.run([binary, *arguments], check=True, capture_output=True, text=True).stdout


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("first")
    parser.add_argument("second")
    parser.add_argument("--binary", default=os.path.join(ROOT, ".build", "release", "archive"))
    args = parser.parse_args()
    first, second = catalog(args.first), catalog(args.second)
    differences = 0
    for name in first:
        a, b = first[name], second[name]
        if a != b:
            differences += 1
            only_a = [row for row in a if row not in set(b)][:3]
            only_b = [row for row in b if row not in set(a)][:3]
            print(f"{name}: {len(a)} rows against {len(b)}; only in the first {only_a}; only in the second {only_b}")
        else:
            print(f"{name}: {len(a)} rows, identical")
    for name, arguments in (("clusters", ["clusters", "--json"]),
                            ("export --dedup", ["export", "--format", "jsonl", "--dedup", "--quiet", "--out", "-"])):
        outputs = [command_output(args.binary, *arguments, "--store", store) for store in (args.first, args.second)]
        if name == "clusters":
            outputs = [json.dumps(json.loads(output), sort_keys=True) for output in outputs]
        else:
            outputs = ["\n".join(json.dumps(json.loads(line), sort_keys=True) for line in output.split("\n") if line)
                       for output in outputs]
        same = outputs[0] == outputs[1]
        differences += not same
        print(f"{name}: {'identical' if same else 'DIFFERENT'} ({len(outputs[0])} and {len(outputs[1])} bytes)")
    sys.exit(1 if differences else 0)


if __name__ == "__main__":
    main()
