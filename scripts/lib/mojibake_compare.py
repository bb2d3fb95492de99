#!/usr/bin/env python3
"""Compare korpus-norm's mojibake repair with ftfy's on real scraped text.

Usage: mojibake_compare.py KORPUS_NORM FTFY_DIR INPUT.jsonl [EXAMPLES]

INPUT holds documents ({"id", "text"}: the real dev data imported).  Both
tools repair encoding only: korpus-norm with every other operation off
(--no-entities --no-controls --no-spaces --no-glued --no-whitespace --punct
keep --form none), ftfy with fix_encoding (fix_text also changes quotes,
widths and line breaks, which is not the question here).  For each document:
changed by korpus-norm, by ftfy, by both; when both changed it, do they
agree on the result; and what each changed that the other did not (the
changed spans, counted by kind, with EXAMPLES examples).  Then the time of
each on the same texts (one run, warm cache; korpus-norm's includes its JSON
reading and writing, ftfy's only its calls).
"""
import collections
import difflib
import json
import os
import subprocess
import sys
import time

OPTS = ["--no-entities", "--no-controls", "--no-spaces", "--no-glued", "--no-whitespace", "--punct", "keep",
        "--form", "none"]


def spans(a, b):
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return [(a[i1:i2], b[j1:j2]) for op, i1, i2, j1, j2 in sm.get_opcodes() if op != "equal"]


def main():
    norm, ftfy_dir, path = sys.argv[1], sys.argv[2], sys.argv[3]
    nex = int(sys.argv[4]) if len(sys.argv) > 4 else 5
    sys.path.insert(0, ftfy_dir)
    import ftfy
    docs = [json.loads(l) for l in open(path, encoding="utf-8", newline="\n") if l.strip()]
    texts = [d.get("text", "") for d in docs]
    nbytes = sum(len(t.encode("utf-8")) for t in texts)
    t0 = time.perf_counter()
    p = subprocess.run([norm, "-q"] + OPTS + [path], stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=True)
    tk = time.perf_counter() - t0
    kout = [json.loads(l).get("text", "") for l in p.stdout.decode("utf-8").split("\n") if l.strip()]
    if len(kout) != len(texts):
        sys.exit("korpus-norm gave %d documents for %d" % (len(kout), len(texts)))
    t0 = time.perf_counter()
    fout = [ftfy.fix_encoding(t) for t in texts]
    tf = time.perf_counter() - t0
    c = collections.Counter()
    only_k, only_f, differ = collections.Counter(), collections.Counter(), collections.Counter()
    ex = collections.defaultdict(list)
    for d, t, k, f in zip(docs, texts, kout, fout):
        ck, cf = k != t, f != t
        c["korpus"] += ck
        c["ftfy"] += cf
        c["both"] += ck and cf
        c["agree"] += ck and cf and k == f
        if ck == cf and k == f:
            continue
        # what each changed: spans against the input
        ks, fs = set(spans(t, k)), set(spans(t, f))
        for s in ks - fs:
            only_k[s] += 1
            if len(ex["korpus-norm only"]) < nex:
                ex["korpus-norm only"].append((d.get("id"), s))
        for s in fs - ks:
            only_f[s] += 1
            if len(ex["ftfy only"]) < nex:
                ex["ftfy only"].append((d.get("id"), s))
    n = len(texts)
    print("real dev data: %d documents, %.1f MB of text; mojibake repair only" % (n, nbytes / 1e6))
    print("  documents changed: korpus-norm %d, ftfy fix_encoding %d, both %d (identical result %d)"
          % (c["korpus"], c["ftfy"], c["both"], c["agree"]))
    print("  repairs only korpus-norm made: %d (%d kinds); only ftfy made: %d (%d kinds)"
          % (sum(only_k.values()), len(only_k), sum(only_f.values()), len(only_f)))
    for name, cnt in (("only korpus-norm", only_k), ("only ftfy", only_f)):
        print("  most common, %s:" % name)
        for (a, b), m in cnt.most_common(nex):
            print("    %6d  %r -> %r" % (m, a[:30], b[:30]))
    print("  time: korpus-norm %.2f s (%.1f MB/s, with its JSON), ftfy fix_encoding %.2f s (%.1f MB/s)"
          % (tk, nbytes / 1e6 / tk, tf, nbytes / 1e6 / tf))


if __name__ == "__main__":
    main()
