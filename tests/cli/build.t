korpus build runs the pipeline as processes joined by pipes; --dry-run
prints it as the shell command it equals:

  $ korpus build $TESTDIR/../corpora/sample -o out --source sample --dry-run | sed "s|$TESTDIR/../||"
  korpus import -q --source=sample --skipped=out/skipped.jsonl --counts=out/import-counts.json corpora/sample |
    korpus clean -q --removed=out/removed-clean.jsonl |
    korpus norm -q --unglue=all |
    korpus filter -q --removed=out/removed-filter.jsonl --pii=annotate --keep-lang=ind |
    korpus dedup -q --dups=out/dups.jsonl --paragraphs --para-per-source --para-min-docs=auto --para-removed=out/removed-paras.jsonl |
    tee >(korpus split -q --format=text | korpus pack -q --format=text --level=6 -o out/sentences.txt.gz) >(korpus stats -q --json=out/stats.json -o /dev/null) |
    korpus pack -q --level=6 -o out/corpus.jsonl.gz

The whole build of the sample, and what it publishes:

  $ korpus build $TESTDIR/../corpora/sample -o out --source sample -j 2
  korpus-build: out: 223 documents \(0 skipped, 0 without prose, 0 filtered, 77 duplicates\) in .* s; report: out/report.html (re)
  stage      documents in        out    dropped
  import              300        300          0
  clean               300        300          0
  norm                300        300          0
  filter              300        300          0
  dedup               300        223         77
  
  removed    reason                          count  unit
  clean      byline                            335  spans
  clean      dateline                          299  spans
  clean      title                             299  spans
  clean      date                              292  spans
  clean      baca-juga                         258  spans
  clean      footer                            237  spans
  clean      advertisement                     188  spans
  clean      ui                                150  spans
  dedup      exact                              64  documents
  dedup      near                               13  documents
  dedup      repeated-paragraph                 50  paragraphs
  (17 reasons of spans more in the report)
  
  source                   in   no prose   filtered  duplicates        out
  sample                  300          0          0          77        223
  
  dates: 0 read, 0 not understood; documents out without a date: 1
  $ ls out
  corpus.jsonl.gz
  corpus.jsonl.gz.kpi
  manifest.json
  removed.jsonl.gz
  report.html
  sentences.txt.gz
  sentences.txt.gz.kpi
  stats.json

The documents add up at every stage, and the manifest's digests are the
files':

  $ python3 -c '
  > import hashlib, json
  > m = json.load(open("out/manifest.json"))
  > print(m["balanced"], [(s["stage"], s["documents_in"], s.get("documents_out"), s.get("dropped")) for s in m["stages"]])
  > for f, o in m["outputs"].items():
  >     assert hashlib.sha256(open("out/" + f, "rb").read()).hexdigest() == o["sha256"], f
  > print(len(m["outputs"]), "digests match")'
  True [('import', 300, 300, 0), ('clean', 300, 300, 0), ('norm', 300, 300, 0), ('filter', 300, 300, 0), ('dedup', 300, 223, 77), ('split', 223, None, None), ('pack', 223, None, None), ('stats', 223, None, None)]
  7 digests match
  $ korpus cat --check -q out/corpus.jsonl.gz | wc -l
  223
  $ zcat out/removed.jsonl.gz | python3 -c '
  > import collections, json, sys
  > print(sorted(collections.Counter((json.loads(l)["stage"], json.loads(l).get("rule", "document")) for l in sys.stdin).items())[-2:])'
  [(('dedup', 'document'), 77), (('dedup', 'repeated-paragraph'), 50)]

It is the same as the tools by hand:

  $ korpus import -q --source sample $TESTDIR/../corpora/sample | korpus clean -q | korpus norm -q --unglue=all |
  >   korpus filter -q --pii annotate --keep ind | korpus dedup -q --paragraphs --para-per-source --para-min-docs auto > hand.jsonl
  $ zcat out/corpus.jsonl.gz | python3 -c '
  > import json, sys
  > a = [{k: v for k, v in json.loads(l).items() if k != "added"} for l in sys.stdin]
  > b = [{k: v for k, v in json.loads(l).items() if k != "added"} for l in open("hand.jsonl")]
  > print(a == b, len(a))'
  True 223

Again with the same inputs and options: nothing to do; --force builds again:

  $ korpus build $TESTDIR/../corpora/sample -o out --source sample -j 2
  korpus-build: out is up to date (same inputs and options; --force builds again)
  $ korpus build $TESTDIR/../corpora/sample -o out --source sample -j 2 --force -q
  $ ls -a | grep -c tmp
  0
  [1]

A failing stage is named, and nothing is published:

  $ printf '{"text":"Harga cabai naik lagi di pasar."}\nnot json\n' > bad.jsonl
  $ korpus build bad.jsonl -o bad
  korpus-import: bad.jsonl:2: invalid JSON at column 1: expected a JSON object, found 'n'
  korpus-build: stage import failed (exit status 1); nothing was published
  [1]
  $ ls -d bad*
  bad.jsonl
  $ korpus build $TESTDIR/../corpora/sample -o x --stages import,frob
  korpus-build: --stages: no stage 'frob' (import,clean,norm,filter,dedup,split,pack,stats)
  Usage: korpus-build INPUT... -o OUTDIR [OPTION]...
  Try 'korpus-build --help' for more information.
  [2]

Real exports: the text in "body" is found without options (--text-field and
--text-col name it otherwise), the site becomes the source and "judul" the
title; an export whose text the build cannot find fails at import, naming
the fields it saw, and publishes nothing:

  $ printf '{"id":"a","site":"x","judul":"Harga cabai naik","body":"Harga cabai rawit di pasar induk naik lagi menjelang akhir pekan ini, kata para pedagang di sana."}\n' > export.jsonl
  $ korpus build export.jsonl -o exp -q && zcat exp/corpus.jsonl.gz | python3 -c 'import json,sys; d=json.load(sys.stdin); m=d["metadata"]; print(d["text"][:30], d["source"], sorted(m), m["title"], m["lang"], m["lang_score"] > 0.99)'
  Harga cabai rawit di pasar ind x ['lang', 'lang_score', 'title'] Harga cabai naik ind True
  $ printf '{"id":"a","site":"x","isi_teks":"Harga cabai rawit di pasar induk naik lagi menjelang akhir pekan ini, kata para pedagang yang ditemui di sana."}\n' > other.jsonl
  $ korpus build other.jsonl -o other
  korpus-import: no document: every one of the 1 records read was skipped; no text field in JSONL records like the first, which has: id, site, isi_teks (name it with --text-field)
  korpus-build: stage import failed (exit status 1); nothing was published
  [1]
  $ korpus build other.jsonl -o other -q --text-field isi_teks && test -f other/manifest.json

--drop-foreign-paragraphs: the paragraphs filter takes out are counted as
paragraphs, not as documents dropped, and the stages still add up:

  $ printf '{"id":"q","site":"x","body":"Menteri itu mengutip pernyataan resmi dari kedutaan pada konferensi pers di Jakarta kemarin sore.\\nWe are deeply concerned about the situation and call on all parties to exercise restraint.\\nIa mengatakan pemerintah akan terus memantau keadaan warga negara Indonesia di sana."}\n' > quote.jsonl
  $ korpus build quote.jsonl -o quote -q --drop-foreign-paragraphs && python3 -c '
  > import json
  > m = json.load(open("quote/manifest.json"))
  > print(m["balanced"], [(s["stage"], s["dropped"], s.get("paragraphs_removed")) for s in m["stages"] if s["stage"] == "filter"])
  > print([(r["unit"], r["count"]) for r in m["removed"] if r["stage"] == "filter"])'
  True [('filter', 0, 1)]
  [('paragraphs', 1)]
  $ zcat quote/corpus.jsonl.gz | python3 -c 'import json,sys; print([p[:10] for p in json.load(sys.stdin)["text"].split("\n")])'
  ['Menteri it', '', 'Ia mengata']
  $ grep -o '<td>1 paragraphs in another language removed</td>' quote/report.html
  <td>1 paragraphs in another language removed</td>

An export that writes its dates month first: the manifest counts the dates
only that order can read (and the report says what it means); --date-order
mdy, handed to import, reads them all so:

  $ printf '%s\n' '{"id":"a","body":"Harga cabai rawit di pasar induk naik lagi menjelang akhir pekan ini, kata para pedagang.","date":"09/25/2019"}' \
  >   '{"id":"b","body":"Banjir melanda permukiman warga di Kampung Melayu, Jakarta Timur, setelah hujan deras semalaman, dan ratusan warga mengungsi ke posko.","date":"09/10/2019"}' > us.jsonl
  $ korpus build us.jsonl -o us -q && python3 -c 'import json; print(json.load(open("us/manifest.json"))["dates"])'
  {'read': 2, 'not_understood': 0, 'other_order': 1, 'other_order_example': '09/25/2019', 'documents_out_undated': 0}
  $ grep -c 'could only be read in the other order' us/report.html
  1

The axis of a chart of counts is labelled in whole numbers, each once (two
months of one document: 0, 1, where it was 0, 0, 1):

  $ python3 -c 'import re; h = open("us/report.html").read(); c = h[h.index("id=\"chart-months\""):]; c = c[:c.index("</svg>")]; print(re.findall(r"text-anchor=\"end\">([^<]*)<", c))'
  ['0', '1']
  $ korpus build us.jsonl -o us2 -q --date-order mdy && zcat us2/corpus.jsonl.gz | grep -o '"created":"[^"]*"'
  "created":"2019-09-25"
  "created":"2019-09-10"

The manifest tells the whole story, and the report shows the same figures:
the reasons of removal with examples, every source through the stages (in
= no prose + duplicates + out, and out as the corpus has it), and the dates:

  $ python3 -c '
  > import json, collections, gzip
  > m = json.load(open("out/manifest.json"))
  > print(sorted(m.keys()))
  > rs = {(r["stage"], r["reason"]): r for r in m["removed"]}
  > print(rs["dedup", "exact"]["count"] + rs["dedup", "near"]["count"], rs["dedup", "exact"]["unit"], len(rs["clean", "dateline"]["examples"]))
  > recs = collections.Counter((json.loads(l)["stage"], json.loads(l).get("rule") or json.loads(l).get("kind")) for l in gzip.open("out/removed.jsonl.gz"))
  > print(all(recs[k] == r["count"] for k, r in rs.items()), sum(recs.values()) == sum(r["count"] for r in m["removed"]))
  > out = collections.Counter(json.loads(l)["source"] for l in gzip.open("out/corpus.jsonl.gz"))
  > print(all(s["documents_in"] == s["no_prose"] + s["duplicates"] + s["documents_out"] and out[s["source"]] == s["documents_out"] for s in m["sources"]), len(m["sources"]))
  > print(m["dates"])
  > html = open("out/report.html").read()
  > print([i in html for i in ("id=\"stages\"", "id=\"removed-reasons\"", "id=\"source-table\"", "id=\"dates\"", "id=\"options\"", "chart-months", "chart-zipf")])'
  ['balanced', 'build', 'dates', 'ids_repeated', 'korpus_build', 'outputs', 'removed', 'seconds', 'sources', 'stages', 'version']
  77 documents 3
  True True
  True 1
  {'read': 0, 'not_understood': 0, 'other_order': 0, 'documents_out_undated': 1}
  [True, True, True, True, True, True, True]

Every stage's options are the build's, and a JSON --config file holds them
(the command line goes over it); the options used are in the manifest:

  $ cat > build.json <<'JSON'
  > {"text-field": "body", "threshold": 0.7, "keep-dateline": true, "stages": ["import", "clean", "dedup", "pack"], "level": 9}
  > JSON
  $ korpus build export.jsonl -o cfg --config build.json --threshold 0.75 --dry-run
  korpus import -q --text-field=body --skipped=cfg/skipped.jsonl --counts=cfg/import-counts.json export.jsonl |
    korpus clean -q --removed=cfg/removed-clean.jsonl --keep-dateline |
    korpus dedup -q --dups=cfg/dups.jsonl --paragraphs --para-per-source --para-min-docs=auto --para-removed=cfg/removed-paras.jsonl --threshold=0.75 |
    korpus pack -q --level=9 -o cfg/corpus.jsonl.gz
  $ korpus build export.jsonl -o cfg --config build.json -q && python3 -c '
  > import json; b = json.load(open("cfg/manifest.json"))["build"]; print(b["stages"], b["level"], b["options"])'
  ['import', 'clean', 'dedup', 'pack'] 9 {'text-field': 'body', 'keep-dateline': True, 'unglue': 'all', 'threshold': '0.7', 'pii': 'annotate', 'keep-lang': 'ind'}
  $ echo '{"threshhold": 0.7}' > typo.json
  $ korpus build export.jsonl -o cfg --config typo.json
  korpus-build: typo.json: "threshhold" is not an option a config can hold (see korpus build --help)
  Usage: korpus-build INPUT... -o OUTDIR [OPTION]...
  Try 'korpus-build --help' for more information.
  [2]

An option a build cannot honour is refused, not ignored:

  $ korpus build export.jsonl -o z -z
  korpus-build: -z: the outputs of a build are always gzip (--level sets the level)
  Usage: korpus-build INPUT... -o OUTDIR [OPTION]...
  Try 'korpus-build --help' for more information.
  [2]
  $ korpus build export.jsonl -o z --keep longest 2>&1 | head -1
  korpus-build: --keep longest: the build's dedup streams and keeps the first of duplicates; longest and newest need the staged korpus-dedup (sign, cluster --keep, apply)
  $ korpus build export.jsonl -o z --threshold 2 -q 2> err; echo $?; sed -n '1p;$p' err
  2
  korpus-dedup: invalid value for --threshold: '2' (expected 0 to 1)
  Try 'korpus-dedup --help' for more information.

The build's report is a self-contained page that Chromium renders:

  $ python3 $TESTDIR/../scripts/check-report out/report.html --png report.png 2>/dev/null
