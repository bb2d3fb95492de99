#!/usr/bin/env python3
"""Time each tool on 1 MB and 10 MB of adversarial patterns: super-linear
growth fails.

Usage: scaling.py BINDIR WORKDIR [--quick]

Each pattern is repeated into one document of SMALL (1 MB, or
$KORPUS_SCALING_SMALL bytes) and of LARGE = 10 x SMALL bytes of text (JSON
Lines, one line), and each tool runs on both; the CPU time
(user + system, of the tool and its threads) must grow about as the input:
LARGE / SMALL = 10 times.  A tool fails when the large run takes more than
RATIO times the small one (and more than FLOOR seconds: below that, the
timer's noise decides).  A quadratic pass takes 100 times, a linear one 10:
RATIO = 30 leaves room for cache effects and a loaded machine, not for
another power of the size.  --quick runs the patterns that once were
quadratic and a few others on the text tools (the check of scripts/check).
Exit status 1 when a tool fails.
"""
import json
import os
import resource
import subprocess
import sys

SMALL = int(os.environ.get("KORPUS_SCALING_SMALL", 1_000_000))
LARGE = 10 * SMALL
RATIO, FLOOR = 30.0, 1.0
TIMEOUT = 300  # seconds: a run past it is counted as super-linear

# name: the repeated unit (a text of the unit repeated: the document's text)
PATTERNS = {
    # mojibake runs: quadratic in korpus-norm before issue 16
    "mojibake-emdash": "\u00e2\u20ac\u201d",
    "mojibake-rsquo": "\u00e2\u20ac\u2122",
    "mojibake-ldquo": "\u00e2\u20ac\u0153",
    "mojibake-twice": "\u00c3\u00a2\u00e2\u201a\u00ac\u00e2\u201e\u00a2",
    "mojibake-macroman": "\u201a\u00c4\u00ec",
    "mojibake-c1": "\u00c3\u0081",
    "mojibake-shy": "\u00e2\u20ac\u201d\u00ad",
    "mojibake-nbsp": "\u00c2 ",
    "entity-chain": "&amp;",
    "entity-open": "&#",
    "digits": "7",
    "dots": ".",
    "digit-dots": "1.",
    "dashes": "-",
    "quotes": '"',
    "parens": "(",
    "spaces": " ",
    "newlines": "\n",
    "short-lines": "Ab cd efg.\n",
    "one-letter-lines": "a\n",
    "blank-lines": "\n \n",
    "glued": "kata.Dia",
    "capitals": "A",
    "initials": "A. ",
    "url": "http://a.b/",
    "emoji-zwj": "\U0001F600\u200d",
    "combining": "a\u0301",
    "dateline": "JAKARTA, KOMPAS.com - ",
    "baca-juga": "Baca juga: ",
    "pipes": "| ",
    "prose": "Harga cabai di pasar induk naik lagi, kata pedagang. ",
    # korpus-norm --unglue: joins in words, and one token of commas
    "glued-words": "penyandangdisabilitasdi dariAntara Ginjaladalah ",
    "comma-token": "kata,Dia",
}
QUICK = ["mojibake-emdash", "mojibake-rsquo", "mojibake-ldquo", "mojibake-c1", "mojibake-shy", "entity-chain",
         "digits", "dots", "short-lines", "glued", "prose", "glued-words", "comma-token"]

# korpus-clean: --skip-invalid, a document it refuses (over a million lines)
# is counted and dropped and the run goes on; --keep-empty, a pattern with
# no prose (digits, dots) is kept rather than dropped (a run that drops every
# document fails).  Any other failure fails.
TOOLS = {
    "clean": ["korpus-clean", "-q", "--skip-invalid", "--keep-empty"],
    "norm": ["korpus-norm", "-q", "--unglue"],
    "split": ["korpus-split", "-q"],
    "tok": ["korpus-tok", "-q"],
    "dedup": ["korpus-dedup", "-q", "--paragraphs"],
    "stats": ["korpus-stats", "-q"],
    "pack": ["korpus-pack", "-q", "-o", "/dev/null"],
    "cat": ["korpus-cat", "-q", "--check"],
    "import": ["korpus-import", "-q", "--format", "jsonl", "--added", "2026-11-29T00:00:00Z"],
}
QUICK_TOOLS = ["clean", "norm", "split", "tok"]


def document(unit, size, path):
    text = unit * (size // len(unit.encode("utf-8")))
    with open(path, "w", encoding="utf-8") as f:
        f.write(json.dumps({"id": "x", "text": text}, ensure_ascii=False) + "\n")


def cpu(cmd, path):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    try:
        proc = subprocess.run(cmd + [path], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        return float("inf")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise RuntimeError("%s failed (%d): %s" % (" ".join(cmd), proc.returncode, proc.stderr.decode()[:300]))
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main():
    bindir, work = sys.argv[1], sys.argv[2]
    quick = "--quick" in sys.argv[3:]
    names = QUICK if quick else list(PATTERNS)
    tools = QUICK_TOOLS if quick else list(TOOLS)
    small, large = os.path.join(work, "small.jsonl"), os.path.join(work, "large.jsonl")
    print("scaling: CPU seconds on one document of %g MB and of %g MB of each pattern; "
          "fails past %gx (and %g s; a run of over %d s counts as inf)" % (SMALL / 1e6, LARGE / 1e6, RATIO, FLOOR, TIMEOUT))
    print("%-18s %s" % ("pattern", "  ".join("%-17s" % t for t in tools)))
    failed = []
    for name in names:
        document(PATTERNS[name], SMALL, small)
        document(PATTERNS[name], LARGE, large)
        cells = []
        for t in tools:
            cmd = [os.path.join(bindir, TOOLS[t][0])] + TOOLS[t][1:]
            a, b = cpu(cmd, small), cpu(cmd, large)
            bad = b > FLOOR and b > RATIO * max(a, 0.01)
            cells.append("%5.2f %6.2f %4.0fx%s" % (a, b, b / max(a, 0.01), "!" if bad else " "))
            if bad:
                failed.append("%s on %s: %.2f s for %g MB, %.2f s for %g MB" % (t, name, a, SMALL / 1e6, b,
                                                                            LARGE / 1e6))
        print("%-18s %s" % (name, "  ".join("%-17s" % c for c in cells)), flush=True)
    for f in failed:
        print("scaling: FAIL: super-linear: " + f)
    if not failed:
        print("scaling: every tool linear on every pattern")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
