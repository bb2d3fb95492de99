#!/usr/bin/env python3
"""validate.py LABELLED.jsonl [UNLABELLED.jsonl]: checks a labelled batch of the clean gold.
Every article: units in order, each unit's text found in the body after the previous one,
every non-whitespace character of the body in some unit except separators (commas, dashes,
spaces, newlines) between units; label keep|remove; a category from the list when removed;
dateline null or a prefix of the first kept unit (exact characters)."""
import json, sys, re
CATS = {"dateline-only", "baca-juga", "headline-link", "promo", "channel-promo", "advertisement", "embed", "scroll",
        "byline", "credit", "photo-credit", "caption", "editor-code", "end-mark", "tags", "syndication", "footer",
        "title", "date", "header", "teaser", "ui", "toc", "schedule", "boilerplate", "related", "junk"}
def main():
    bad = 0
    arts = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
    if len(sys.argv) > 2:
        want = [json.loads(l)["id"] for l in open(sys.argv[2], encoding="utf-8")]
        got = [a["id"] for a in arts]
        if got != want:
            print("ids differ from the batch (missing, extra or reordered):", set(want) ^ set(got) or "order"); bad += 1
    for a in arts:
        body, pos, where = a["body"], 0, a["id"]
        first_keep = None
        for i, u in enumerate(a["units"]):
            t = u.get("text", "")
            k = body.find(t, pos)
            if not t or k < 0:
                print(where, "unit", i, "not found in order:", t[:60]); bad += 1; continue
            gap = body[pos:k]
            if re.sub(r"[\s,\-–—]", "", gap):
                print(where, "unit", i, "text skipped before it:", repr(gap[:60])); bad += 1
            pos = k + len(t)
            if u.get("label") not in ("keep", "remove"):
                print(where, "unit", i, "label", u.get("label")); bad += 1
            if u.get("label") == "remove" and u.get("category") not in CATS:
                print(where, "unit", i, "category", u.get("category")); bad += 1
            if u.get("label") == "keep" and first_keep is None:
                first_keep = t
        tail = body[pos:]
        if re.sub(r"[\s,\-–—]", "", tail):
            print(where, "text left after the last unit:", repr(tail[:60])); bad += 1
        dl = a.get("dateline")
        if dl is not None and (first_keep is None or not first_keep.startswith(dl)):
            print(where, "dateline is not a prefix of the first kept unit:", repr(dl)); bad += 1
    print("%d articles, %d problems" % (len(arts), bad))
    sys.exit(1 if bad else 0)
main()
