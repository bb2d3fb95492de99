korpus build runs the pipeline as processes joined by pipes; --dry-run
prints it as the shell command it equals:

  $ korpus build $TESTDIR/../corpora/sample -o out --source sample --dry-run | sed "s|$TESTDIR/../||"
  korpus import -q --source=sample --skipped=out/skipped.jsonl corpora/sample |
    korpus clean -q --removed=out/removed-clean.jsonl |
    korpus norm -q --unglue=all |
    korpus dedup -q --dups=out/dups.jsonl --paragraphs --para-per-source --para-min-docs=auto --para-removed=out/removed-paras.jsonl |
    tee >(korpus split -q --format=text | korpus pack -q --format=text -o out/sentences.txt.gz) >(korpus stats -q --json=out/stats.json --html=out/report.html -o /dev/null) |
    korpus pack -q -o out/corpus.jsonl.gz

The whole build of the sample, and what it publishes:

  $ korpus build $TESTDIR/../corpora/sample -o out --source sample -j 2
  korpus-build: out: 223 documents \(0 skipped, 0 without prose, 77 duplicates\) in .* s; report: out/report.html (re)
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
  True [('import', 300, 300, 0), ('clean', 300, 300, 0), ('norm', 300, 300, 0), ('dedup', 300, 223, 77), ('split', 223, None, None), ('pack', 223, None, None), ('stats', 223, None, None)]
  7 digests match
  $ korpus cat --check -q out/corpus.jsonl.gz | wc -l
  223
  $ zcat out/removed.jsonl.gz | python3 -c '
  > import collections, json, sys
  > print(sorted(collections.Counter((json.loads(l)["stage"], json.loads(l).get("rule", "document")) for l in sys.stdin).items())[-2:])'
  [(('dedup', 'document'), 77), (('dedup', 'repeated-paragraph'), 50)]

It is the same as the tools by hand:

  $ korpus import -q --source sample $TESTDIR/../corpora/sample | korpus clean -q | korpus norm -q --unglue=all |
  >   korpus dedup -q --paragraphs --para-per-source --para-min-docs auto > hand.jsonl
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
  korpus-build: --stages: no stage 'frob' (import,clean,norm,dedup,split,pack,stats)
  Usage: korpus-build INPUT... -o OUTDIR [OPTION]...
  Try 'korpus-build --help' for more information.
  [2]

Real exports: the text in "body" is found without options (--text-field and
--text-col name it otherwise), the site becomes the source and "judul" the
title; an export whose text the build cannot find fails at import, naming
the fields it saw, and publishes nothing:

  $ printf '{"id":"a","site":"x","judul":"Harga cabai naik","body":"Harga cabai rawit di pasar induk naik lagi menjelang akhir pekan ini, kata para pedagang di sana."}\n' > export.jsonl
  $ korpus build export.jsonl -o exp -q && zcat exp/corpus.jsonl.gz | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["text"][:30], d["source"], d["metadata"])'
  Harga cabai rawit di pasar ind x {'title': 'Harga cabai naik'}
  $ printf '{"id":"a","site":"x","isi_teks":"Harga cabai naik."}\n' > other.jsonl
  $ korpus build other.jsonl -o other
  korpus-import: no document: every one of the 1 records read was skipped; no text field in JSONL records like the first, which has: id, site, isi_teks (name it with --text-field)
  korpus-build: stage import failed (exit status 1); nothing was published
  [1]
  $ korpus build other.jsonl -o other -q --text-field isi_teks && test -f other/manifest.json
