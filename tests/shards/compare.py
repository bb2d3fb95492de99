#!/usr/bin/env python3
"""Compare a sharded korpus build with the one-machine build of the same input.

Usage: compare.py ONE SHARDED

The kept documents (in order), the sentences, the removed records (what
import skipped, clean removed, filter and dedup dropped, with the
duplicates' "n" and "dup_of"), the statistics and the manifest's account
(stages, reasons, sources, dates) must be the same; the shards' files
replace corpus.jsonl.gz and sentences.txt.gz, so only the file list and the
digests differ.  Prints what differs and exits 1, or a line of what was
compared and exits 0.
"""
import glob
import gzip
import json
import os
import sys


def read_gz(paths):
    out = b""
    for p in paths:
        with gzip.open(p, "rb") as f:
            out += f.read()
    return out


def main():
    one, sharded = sys.argv[1], sys.argv[2]
    for d in (one, sharded):
        if not os.path.exists(os.path.join(d, "manifest.json")):
            print("no build in %s (no manifest.json)" % d)
            return 1
    bad = []
    docs_one = read_gz([os.path.join(one, "corpus.jsonl.gz")])
    shard_files = sorted(glob.glob(os.path.join(sharded, "corpus-[0-9]*.jsonl.gz")))
    if not shard_files:
        bad.append("no corpus-NNNNN.jsonl.gz in " + sharded)
    docs_sh = read_gz(shard_files)
    if docs_one != docs_sh:
        a, b = docs_one.splitlines(), docs_sh.splitlines()
        first = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
        bad.append("documents differ: %d and %d, first at line %d" % (len(a), len(b), first + 1))
    sent_one = os.path.join(one, "sentences.txt.gz")
    if os.path.exists(sent_one):
        if read_gz([sent_one]) != read_gz(sorted(glob.glob(os.path.join(sharded, "sentences-[0-9]*.txt.gz")))):
            bad.append("sentences differ")
    if read_gz([os.path.join(one, "removed.jsonl.gz")]) != read_gz([os.path.join(sharded, "removed.jsonl.gz")]):
        bad.append("removed.jsonl.gz differs")
    st_one, st_sh = os.path.join(one, "stats.json"), os.path.join(sharded, "stats.json")
    if os.path.exists(st_one) and open(st_one, "rb").read() != open(st_sh, "rb").read():
        bad.append("stats.json differs")
    m1 = json.load(open(os.path.join(one, "manifest.json")))
    m2 = json.load(open(os.path.join(sharded, "manifest.json")))
    for key in m1:
        if key in ("seconds", "build", "outputs"):
            continue
        if m1[key] != m2.get(key):
            bad.append("manifest %s differs: %s / %s" % (key, json.dumps(m1[key])[:200], json.dumps(m2.get(key))[:200]))
    if bad:
        print("\n".join(bad))
        return 1
    dups = sum(r["count"] for r in m1["removed"] if r["stage"] == "dedup" and r["unit"] == "documents")
    print("same: %d documents in %d shard files, %d duplicates, removed records, statistics, manifest"
          % (len(docs_one.splitlines()), len(shard_files), dups))
    return 0


if __name__ == "__main__":
    sys.exit(main())
