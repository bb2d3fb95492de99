korpus-filter keeps the documents fit for a training set.  Quality rules
(Gopher, C4, FineWeb, set for Indonesian) drop a document with the rule
that dropped it, in --removed; personal data is redacted, labelled or drops
the document.  Everything else passes through as it is:

  $ cat > docs.jsonl <<'EOF'
  > {"id":"ok","text":"Presiden meresmikan bendungan baru di Jawa Tengah pada hari Senin. Bendungan itu akan mengairi lima ribu hektare sawah di tiga kabupaten, kata menteri yang hadir.","source":"s","metadata":{"x":1}}
  > {"id":"short","text":"Harga cabai naik.","source":"s"}
  > {"id":"en","text":"The president opened a new dam in Central Java on Monday. The dam will water five thousand hectares of rice fields in three regencies, the minister said.","source":"s"}
  > {"id":"pii","text":"Warga yang kehilangan kartu dapat menghubungi posko di nomor 0812-3456-7890 atau surel posko@bpbd.go.id, dengan membawa KTP (NIK 3174051507890001) dan surat keterangan dari kelurahan setempat.","source":"s"}
  > EOF
  $ korpus-filter docs.jsonl --removed removed.jsonl
  {"id":"ok","text":"Presiden meresmikan bendungan baru di Jawa Tengah pada hari Senin. Bendungan itu akan mengairi lima ribu hektare sawah di tiga kabupaten, kata menteri yang hadir.","source":"s","metadata":{"x":1}}
  {"id":"pii","text":"Warga yang kehilangan kartu dapat menghubungi posko di nomor 0812-3456-7890 atau surel posko@bpbd.go.id, dengan membawa KTP (NIK 3174051507890001) dan surat keterangan dari kelurahan setempat.","source":"s"}
  korpus-filter: 4 documents, 2 dropped
  korpus-filter: quality rules failed: 1 gopher-min-words, 1 gopher-stopwords
  $ cut -c1-120 removed.jsonl
  {"id":"short","rule":"gopher-min-words","signal":"words","value":3,"threshold":15,"document":{"id":"short","text":"Harga
  {"id":"en","rule":"gopher-stopwords","signal":"stopwords","value":0,"threshold":2,"document":{"id":"en","text":"The pres

Personal data: --pii redact replaces each by its kind; annotate counts them
in metadata.pii; drop drops the document (rule pii-KIND):

  $ korpus-filter -q --no-quality --pii redact docs.jsonl | grep '"pii"' | cut -c1-190
  {"id":"pii","text":"Warga yang kehilangan kartu dapat menghubungi posko di nomor <PHONE> atau surel <EMAIL>, dengan membawa KTP (NIK <NIK>) dan surat keterangan dari kelurahan setempat.","so
  $ korpus-filter --no-quality --pii annotate docs.jsonl 2>&1 >/dev/null; korpus-filter -q --no-quality --pii annotate docs.jsonl | grep -o '"metadata":{"pii":{[^}]*}}'
  korpus-filter: 4 documents, 0 dropped
  korpus-filter: personal data: 1 email, 1 phone, 1 nik in 1 documents
  "metadata":{"pii":{"email":1,"phone":1,"nik":1}}
  $ korpus-filter -q --no-quality --pii drop docs.jsonl --removed r.jsonl | wc -l; cut -c1-40 r.jsonl
  3
  {"id":"pii","rule":"pii-phone","document

--annotate keeps every document and adds the signals, and the rule it
fails:

  $ korpus-filter -q --annotate docs.jsonl | python3 -c '
  > import json, sys
  > for l in sys.stdin:
  >     d = json.loads(l); q = d["metadata"]["quality"]
  >     print(d["id"], q["words"], q["stopwords"], q["lines_end_punct"], q.get("fail"))'
  ok 25 12 1 None
  short 3 1 1 gopher-min-words
  en 27 0 1 gopher-stopwords
  pii 29 8 1 None

The rules are a file; a user's file changes a threshold or switches a rule
off; a mistake in it is named:

  $ korpus-filter --dump-quality-rules | grep -c '^gopher-'
  20
  $ printf 'gopher-stopwords off\ngopher-min-words words min 3\n' > lax.rules
  $ korpus-filter -q --quality-rules lax.rules docs.jsonl | wc -l
  4
  $ printf 'gopher-min-words wrods min 3\n' > bad.rules
  $ korpus-filter --quality-rules bad.rules docs.jsonl
  korpus-filter: bad.rules:1: unknown signal 'wrods'
  Usage: korpus-filter [OPTION]... [FILE]...
  Try 'korpus-filter --help' for more information.
  [2]
  $ korpus-filter --pii hide docs.jsonl
  korpus-filter: --pii: expected redact, annotate, drop or off, not 'hide'
  Usage: korpus-filter [OPTION]... [FILE]...
  Try 'korpus-filter --help' for more information.
  [2]

A run that drops every document is an error, not an empty corpus:

  $ head -3 docs.jsonl | tail -2 | korpus-filter -q
  korpus-filter: no document left: all 2 were dropped (--removed says why; --annotate keeps them)
  [1]
