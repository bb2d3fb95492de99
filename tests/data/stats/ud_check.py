#!/usr/bin/env python3
"""Independent counts of a .conllu file, against korpus-stats.

  ud_check.py make CONLLU DOCS.jsonl      documents of 20 sentences, a blank
                                          line after every 5 (paragraphs);
                                          one sentence a line, its surface
                                          tokens separated by spaces
  ud_check.py check CONLLU REPORT.json STOPWORDS
                                          compare the report of
                                          `korpus-stats --lines --tokens spaces`
Prints each figure that differs and exits 1; prints "ok" otherwise.
"""
import json
import math
import sys
import unicodedata


def sentences(path):
    """Surface tokens of each sentence (a multiword token's range line is the
    token; the words under it are not)."""
    out, cur, skip_to = [], [], 0
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if not line:
            if cur:
                out.append(cur)
            cur, skip_to = [], 0
            continue
        if line.startswith("#"):
            continue
        cols = line.split("\t")
        tid = cols[0]
        if "." in tid:
            continue
        if "-" in tid:
            a, b = tid.split("-")
            cur.append(cols[1])
            skip_to = int(b)
            continue
        if int(tid) <= skip_to:
            continue
        cur.append(cols[1])
    if cur:
        out.append(cur)
    return out


def docs(sents):
    for d in range(0, len(sents), 20):
        lines = []
        for k, s in enumerate(sents[d:d + 20]):
            if k and k % 5 == 0:
                lines.append("")
            lines.append(" ".join(s))
        yield "\n".join(lines)


def is_word(t):
    return any(unicodedata.category(c).startswith("L") for c in t)


def is_number(t):
    return not is_word(t) and any(unicodedata.category(c) == "Nd" for c in t)


def nearest_rank(values, p):
    v = sorted(values)
    return v[max(1, math.ceil(p * len(v))) - 1]


def main():
    if sys.argv[1] == "make":
        with open(sys.argv[3], "w", encoding="utf-8") as f:
            for i, t in enumerate(docs(sentences(sys.argv[2]))):
                f.write(json.dumps({"id": f"csui-{i}", "text": t, "source": "ud-csui"}, ensure_ascii=False) + "\n")
        return 0
    sents = sentences(sys.argv[2])
    r = json.load(open(sys.argv[3], encoding="utf-8"))
    stop = {l.strip() for l in open(sys.argv[4], encoding="utf-8") if l.strip() and not l.startswith("#")}
    texts = list(docs(sents))
    toks = [t for s in sents for t in s]
    words = [t.lower() for t in toks if is_word(t)]
    vocab = {}
    for w in words:
        vocab[w] = vocab.get(w, 0) + 1
    bigrams = set()
    for s in sents:
        low = [t.lower() for t in s]
        for a, b in zip(low, low[1:]):
            if is_word(a) and is_word(b):
                bigrams.add(a + " " + b)
    doc_tokens = [sum(len(s) for s in sents[d:d + 20]) for d in range(0, len(sents), 20)]
    sent_tokens = [len(s) for s in sents]
    want = {
        "documents": len(texts),
        "paragraphs": sum(t.count("\n\n") + 1 for t in texts),
        "sentences": len(sents),
        "tokens": len(toks),
        "words": len(words),
        "numbers": sum(is_number(t) for t in toks),
        "stopwords": sum(w in stop for w in words),
        "characters": sum(len(t) for t in texts),
        "bytes": sum(len(t.encode("utf-8")) for t in texts),
        "word_types": len(vocab),
        "bigram_types": len(bigrams),
        "hapax": sum(c == 1 for c in vocab.values()),
    }
    bad = 0
    for k, v in want.items():
        if r.get(k) != v:
            print(f"{k}: korpus-stats {r.get(k)}, conllu {v}")
            bad += 1
    for name, vals in (("doc_tokens", doc_tokens), ("sentence_tokens", sent_tokens)):
        d = r[name]
        exp = {"count": len(vals), "sum": sum(vals), "max": max(vals), "median": nearest_rank(vals, 0.5),
               "p90": nearest_rank(vals, 0.9), "p99": nearest_rank(vals, 0.99)}
        for k, v in exp.items():
            if d.get(k) != v:
                print(f"{name}.{k}: korpus-stats {d.get(k)}, conllu {v}")
                bad += 1
    top = sorted(vocab.items(), key=lambda kv: (-kv[1], kv[0].encode("utf-8")))[:10]
    if [tuple(x) for x in r["top_words"][:10]] != top:
        print(f"top_words: korpus-stats {r['top_words'][:10]}, conllu {top}")
        bad += 1
    print("ok" if not bad else f"{bad} figures differ")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
