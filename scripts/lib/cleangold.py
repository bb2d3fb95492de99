"""Score korpus-clean on the real-news gold (tests/data/clean-gold/gold.jsonl).

Each article's body goes to the cleaner as one document (its title in
metadata.title, its outlet as "source"); each gold unit is then looked up in
the cleaned text (all whitespace folded to one space on both sides):
- a unit labelled keep is KEPT when its text occurs in the output; the first
  kept unit is looked up without its dateline;
- a unit labelled remove is LEFT when its text occurs in the output more
  often than in the article's kept units (a name or a headline that the story
  also holds is not held against the cleaner).
Units with no letter or digit ('"', ".", " , ") are not scored; commas and
spaces at the edges of a unit are separators of the scrape, not looked up.
Removal is a prediction: precision = removed units that were chrome / all
removed units, recall = chrome units removed / all chrome units (line level,
by category and by outlet).  The lead is the first kept unit with 5 words or
more: LOST when not kept.  A dateline is LEFT when the cleaned text still
starts with it: its words, or for what a scraper left of it ("- ", ", , -")
a dash or a comma.
"""

import collections
import json
import os
import re
import subprocess
import sys
import tempfile

WS = re.compile(r"\s+")
ALNUM = re.compile(r"[^\W_]", re.UNICODE)


def fold(s):
    return WS.sub(" ", s).strip()


def core(s):
    """A unit's text for the lookup: folded, without the commas and spaces at
    its edges (separators of the scrape, not text a cleaner must keep)."""
    return fold(s).strip(" ,")


def scored(text):
    return ALNUM.search(text) is not None


def dateline_left(dateline, out):
    """Does the cleaned text still open with the dateline?"""
    d = fold(dateline)
    o = out.lstrip(" ,")
    words = fold(re.sub(r"[-–—,\s\u00a0¬†‚Äì]+$", "", d))
    if ALNUM.search(words or ""):
        return fold(o).lower().startswith(words.lower())
    return o[:1] in "-–—," and o != ""


def run_cleaner(korpus, gold, work):
    inp = os.path.join(work, "gold-input.jsonl")
    with open(inp, "w", encoding="utf-8") as f:
        for a in gold:
            f.write(json.dumps({"id": a["id"], "text": a["body"], "source": a["outlet"],
                                "metadata": {"title": a["title"]}}, ensure_ascii=False) + "\n")
    out = os.path.join(work, "gold-output.jsonl")
    with open(out, "wb") as fo:
        p = subprocess.run(korpus + ["-q", inp], stdout=fo, stderr=subprocess.PIPE)
    if p.returncode != 0:
        raise RuntimeError("the cleaner failed: " + p.stderr.decode(errors="replace")[:500])
    texts = {}
    for line in open(out, encoding="utf-8"):
        d = json.loads(line)
        texts[d["id"]] = d.get("text", "")
    return texts


def score(gold, texts, errors=0):
    tot = collections.Counter()
    bycat = collections.defaultdict(collections.Counter)
    byout = collections.defaultdict(collections.Counter)
    errs = collections.defaultdict(list)
    for a in gold:
        out = fold(texts.get(a["id"], ""))
        kept_text = fold(" ".join(u["text"] for u in a["units"] if u["label"] == "keep"))
        first = True
        lead_done = False
        for u in a["units"]:
            t = core(u["text"])
            if u["label"] == "keep":
                look = t
                if first and a.get("dateline") and u["text"].startswith(a["dateline"]):
                    look = core(u["text"][len(a["dateline"]):])
                first = False
                if not scored(look):
                    tot["unscored"] += 1
                    continue
                kept = look in out
                tot["keep"] += 1
                byout[a["outlet"]]["keep"] += 1
                if not kept:
                    tot["prose_lost"] += 1
                    byout[a["outlet"]]["prose_lost"] += 1
                    errs["prose lost"].append((a["id"], look))
                if not lead_done and len(look.split()) >= 5:
                    lead_done = True
                    tot["leads"] += 1
                    if not kept:
                        tot["lead_lost"] += 1
                        errs["lead lost"].append((a["id"], look))
            else:
                if not scored(t):
                    tot["unscored"] += 1
                    continue
                cat = u["category"]
                left = out.count(t) > kept_text.count(t)
                tot["chrome"] += 1
                bycat[cat]["chrome"] += 1
                byout[a["outlet"]]["chrome"] += 1
                if left:
                    tot["chrome_left"] += 1
                    bycat[cat]["left"] += 1
                    byout[a["outlet"]]["chrome_left"] += 1
                    errs["chrome left: " + cat].append((a["id"], t))
        if a.get("dateline"):
            tot["datelines"] += 1
            if dateline_left(a["dateline"], texts.get(a["id"], "")):
                tot["dateline_left"] += 1
                errs["dateline left"].append((a["id"], fold(a["dateline"]) + " | " + out[:60]))
    return tot, bycat, byout, errs


def pct(a, b):
    return 100.0 * a / b if b else 0.0


def prf(removed_chrome, chrome, prose_lost):
    p = removed_chrome / (removed_chrome + prose_lost) if removed_chrome + prose_lost else 1.0
    r = removed_chrome / chrome if chrome else 1.0
    return p, r


def report(name, gold, tot, bycat, byout, errs, errors=0):
    rem = tot["chrome"] - tot["chrome_left"]
    P, R = prf(rem, tot["chrome"], tot["prose_lost"])
    print("%s on the real-news gold: %d articles, %d outlets, %d units scored (%d without a letter or digit not)"
          % (name, len(gold), len({a["outlet"] for a in gold}), tot["keep"] + tot["chrome"], tot["unscored"]))
    print("  removal, line level: precision %.3f, recall %.3f" % (P, R))
    print("  chrome left           %5d of %5d  %6.2f %%" % (tot["chrome_left"], tot["chrome"],
                                                           pct(tot["chrome_left"], tot["chrome"])))
    print("  prose lines kept      %5d of %5d  %6.2f %%" % (tot["keep"] - tot["prose_lost"], tot["keep"],
                                                           pct(tot["keep"] - tot["prose_lost"], tot["keep"])))
    print("  lead paragraph kept   %5d of %5d  %6.2f %%" % (tot["leads"] - tot["lead_lost"], tot["leads"],
                                                           pct(tot["leads"] - tot["lead_lost"], tot["leads"])))
    print("  datelines left        %5d of %5d  %6.2f %%" % (tot["dateline_left"], tot["datelines"],
                                                           pct(tot["dateline_left"], tot["datelines"])))
    print("  by category (recall of removal):")
    for cat in sorted(bycat, key=lambda c: -bycat[c]["chrome"]):
        c = bycat[cat]
        print("    %-14s %4d of %4d removed  %6.1f %%" % (cat, c["chrome"] - c["left"], c["chrome"],
                                                           pct(c["chrome"] - c["left"], c["chrome"])))
    print("  by outlet:                precision  recall  prose kept")
    for o in sorted(byout):
        c = byout[o]
        p, r = prf(c["chrome"] - c["chrome_left"], c["chrome"], c["prose_lost"])
        print("    %-20s %10.3f %7.3f %10.2f %%" % (o, p, r, pct(c["keep"] - c["prose_lost"], c["keep"])))
    if errors:
        for kind in sorted(errs):
            print("  errors, %s (%d):" % (kind, len(errs[kind])))
            for i, t in errs[kind][:errors]:
                print("    %s: %s" % (i, t[:150]))
    return {"precision": P, "recall": R, "chrome": tot["chrome"], "chrome_left": tot["chrome_left"],
            "prose": tot["keep"], "prose_lost": tot["prose_lost"], "leads": tot["leads"],
            "leads_lost": tot["lead_lost"], "datelines": tot["datelines"], "datelines_left": tot["dateline_left"],
            "by_category": {c: dict(v) for c, v in bycat.items()}, "by_outlet": {o: dict(v) for o, v in byout.items()}}


def read_texts(path):
    texts = {}
    for line in open(path, encoding="utf-8"):
        if line.strip():
            d = json.loads(line)
            texts[d["id"]] = d.get("text", "")
    return texts


def evaluate(gold_path, korpus, errors=0, json_path=None, keep=None, peers=()):
    """peers: (name, run) pairs; run(input_path, output_path) writes the
    peer's {"id", "text"} lines for the gold input, or raises."""
    gold = [json.loads(l) for l in open(gold_path, encoding="utf-8")]
    work = keep or tempfile.mkdtemp(prefix="eval-clean-gold.")
    os.makedirs(work, exist_ok=True)
    texts = run_cleaner(korpus, gold, work)
    tot, bycat, byout, errs = score(gold, texts, errors)
    figures = {"korpus-clean": report("korpus-clean", gold, tot, bycat, byout, errs, errors)}
    for name, run in peers:
        out = os.path.join(work, "gold-%s.jsonl" % name)
        run(os.path.join(work, "gold-input.jsonl"), out)
        print()
        tot, bycat, byout, errs = score(gold, read_texts(out), errors)
        figures[name] = report(name, gold, tot, bycat, byout, errs, 0)
    if json_path:
        with open(json_path, "w") as f:
            json.dump(figures, f, indent=1, sort_keys=True)
    return 0
