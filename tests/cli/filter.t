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
  $ korpus-filter --no-lang docs.jsonl --removed removed.jsonl
  {"id":"ok","text":"Presiden meresmikan bendungan baru di Jawa Tengah pada hari Senin. Bendungan itu akan mengairi lima ribu hektare sawah di tiga kabupaten, kata menteri yang hadir.","source":"s","metadata":{"x":1}}
  {"id":"pii","text":"Warga yang kehilangan kartu dapat menghubungi posko di nomor 0812-3456-7890 atau surel posko@bpbd.go.id, dengan membawa KTP (NIK 3174051507890001) dan surat keterangan dari kelurahan setempat.","source":"s"}
  korpus-filter: 4 documents, 2 dropped
  korpus-filter: quality rules failed: 1 gopher-min-words, 1 gopher-stopwords
  $ cut -c1-120 removed.jsonl
  {"id":"short","rule":"gopher-min-words","signal":"words","value":3,"threshold":15,"document":{"id":"short","text":"Harga
  {"id":"en","rule":"gopher-stopwords","signal":"stopwords","value":0,"threshold":1,"document":{"id":"en","text":"The pres

Personal data: --pii redact replaces each by its kind; annotate counts them
in metadata.pii; drop drops the document (rule pii-KIND):

  $ korpus-filter -q --no-lang --no-quality --pii redact docs.jsonl | grep '"pii"' | cut -c1-190
  {"id":"pii","text":"Warga yang kehilangan kartu dapat menghubungi posko di nomor <PHONE> atau surel <EMAIL>, dengan membawa KTP (NIK <NIK>) dan surat keterangan dari kelurahan setempat.","so
  $ korpus-filter --no-lang --no-quality --pii annotate docs.jsonl 2>&1 >/dev/null; korpus-filter -q --no-lang --no-quality --pii annotate docs.jsonl | grep -o '"metadata":{"pii":{[^}]*}}'
  korpus-filter: 4 documents, 0 dropped
  korpus-filter: personal data: 1 email, 1 phone, 1 nik in 1 documents
  "metadata":{"pii":{"email":1,"phone":1,"nik":1}}
  $ korpus-filter -q --no-lang --no-quality --pii drop docs.jsonl --removed r.jsonl | wc -l; cut -c1-40 r.jsonl
  3
  {"id":"pii","rule":"pii-phone","document

--annotate keeps every document and adds the signals, and the rule it
fails:

  $ korpus-filter -q --no-lang --annotate docs.jsonl | python3 -c '
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
  $ korpus-filter -q --no-lang --quality-rules lax.rules docs.jsonl | wc -l
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

  $ head -3 docs.jsonl | tail -2 | korpus-filter -q --no-lang
  korpus-filter: no document left: all 2 were dropped (--removed says why; --annotate keeps them)
  [1]

Language: each document's (metadata.lang, ISO 639-3, and lang_score); with
--keep the others are dropped (rule lang-CODE), and those the model is not
sure of (rule lang-score, under --min-score); --paragraphs gives each
language's share of the text, and --drop-foreign-paragraphs takes the
paragraphs of another language out of a kept document:

  $ cat > langs.jsonl <<'EOF'
  > {"id":"ind","text":"Presiden Joko Widodo meresmikan bendungan baru di Jawa Tengah pada hari Senin, dan bendungan itu akan mengairi sawah di tiga kabupaten."}
  > {"id":"zsm","text":"Kerajaan Malaysia akan membina lebih banyak rumah mampu milik kerana permintaan yang tinggi di bandar besar."}
  > {"id":"jav","text":"Aku arep lunga menyang pasar karo ibuku sesuk esuk, amarga ibuku arep tuku sayuran lan iwak."}
  > {"id":"eng","text":"The president opened a new dam in Central Java on Monday, and the dam will water rice fields in three regencies."}
  > {"id":"ara","text":"بسم الله الرحمن الرحيم الحمد لله رب العالمين"}
  > {"id":"mixed","text":"Menteri itu mengutip pernyataan resmi dari kedutaan pada konferensi pers di Jakarta.\nWe are deeply concerned about the situation and call on all parties to exercise restraint.\nIa mengatakan pemerintah akan terus memantau keadaan warga negara Indonesia di sana."}
  > EOF
  $ korpus-filter -q --no-quality langs.jsonl | python3 -c '
  > import json, sys
  > for l in sys.stdin:
  >     d = json.loads(l); print(d["id"], d["metadata"]["lang"])'
  ind ind
  zsm zsm
  jav jav
  eng eng
  ara oth
  mixed ind
  $ korpus-filter -q --no-quality --paragraphs langs.jsonl | python3 -c '
  > import json, sys
  > for l in sys.stdin:
  >     d = json.loads(l); print(d["id"], d["metadata"]["lang_shares"]) if d["id"] == "mixed" else None'
  mixed {'eng': 0.3488, 'ind': 0.6512}
  $ korpus-filter --no-quality --keep ind --paragraphs --drop-foreign-paragraphs --removed dropped.jsonl langs.jsonl 2> summary.txt | python3 -c '
  > import json, sys
  > for l in sys.stdin:
  >     d = json.loads(l); print(d["id"], d["text"].count("\n") + 1, d["metadata"]["lang_shares"])'
  ind 1 {'ind': 1}
  mixed 2 {'ind': 1}
  $ cat summary.txt
  korpus-filter: 6 documents, 4 dropped
  korpus-filter: languages: 1 eng, 2 ind, 1 jav, 1 oth, 1 zsm
  korpus-filter: dropped for their language or a score under --min-score: 4
  korpus-filter: paragraphs in another language removed: 1
  $ cut -c1-60 dropped.jsonl
  {"id":"zsm","rule":"lang-zsm","lang":"zsm","score":1,"docume
  {"id":"jav","rule":"lang-jav","lang":"jav","score":1,"docume
  {"id":"eng","rule":"lang-eng","lang":"eng","score":1,"docume
  {"id":"ara","rule":"lang-oth","lang":"oth","score":1,"docume
  {"id":"mixed","rule":"foreign-paragraph","lang":"eng","text"

A paragraph called Malay or a regional language stays in an Indonesian
document (on real news nearly every such call is an Indonesian quote or
list); the Malay paragraph of an English document goes, even with
Indonesian kept too, and a document only annotated keeps its paragraphs:

  $ printf '%s\n' '{"id":"kin","text":"Presiden Joko Widodo meresmikan bendungan baru di Jawa Tengah pada hari Senin.\nKerajaan Malaysia akan membina lebih banyak rumah mampu milik kerana permintaan yang tinggi di bandar besar.\nBendungan itu akan mengairi sawah di tiga kabupaten."}' > kin.jsonl
  $ korpus-filter -q --no-quality --keep ind --paragraphs --drop-foreign-paragraphs kin.jsonl | python3 -c '
  > import json, sys
  > d = json.loads(sys.stdin.read()); print(d["text"].count("\n") + 1, sorted(d["metadata"]["lang_shares"]))'
  3 ['ind', 'zsm']
  $ printf '%s\n' '{"id":"en","text":"The president opened a new dam in Central Java on Monday, and the dam will water rice fields.\nOfficials said the reservoir would also supply drinking water to the nearby towns for many years.\nKerajaan Malaysia akan membina lebih banyak rumah mampu milik kerana permintaan yang tinggi di bandar besar."}' > en.jsonl
  $ korpus-filter -q --no-quality --keep eng,ind --drop-foreign-paragraphs en.jsonl | python3 -c '
  > import json, sys
  > print(json.loads(sys.stdin.read())["text"])'
  The president opened a new dam in Central Java on Monday, and the dam will water rice fields.
  Officials said the reservoir would also supply drinking water to the nearby towns for many years.
  $ korpus-filter -q --no-quality --annotate --keep ind --drop-foreign-paragraphs en.jsonl | python3 -c '
  > import json, sys
  > d = json.loads(sys.stdin.read()); print(d["metadata"]["lang"], d["text"].count("\n") + 1)'
  eng 3

A document that is not in a kept language as a whole is kept when what is
left once its foreign paragraphs are out is (an Indonesian article that
quotes more English than it has Indonesian), with the language of that:

  $ printf '%s\n' '{"id":"song","text":"Penyanyi itu merilis lagu baru pekan lalu dan liriknya langsung ramai dibicarakan oleh para penggemarnya di media sosial.\nI never wanted to leave you standing in the rain, I only wanted you to see the world the way I do tonight.\nSo hold my hand and tell me that you will stay, because the morning comes too soon and I cannot sleep alone."}' > song.jsonl
  $ korpus-filter -q --no-quality --annotate song.jsonl | python3 -c '
  > import json, sys
  > print(json.loads(sys.stdin.read())["metadata"]["lang"])'
  eng
  $ korpus-filter --no-quality --keep ind --drop-foreign-paragraphs --removed song-out.jsonl song.jsonl 2> summary.txt | python3 -c '
  > import json, sys
  > d = json.loads(sys.stdin.read()); print(d["metadata"]["lang"], d["metadata"]["lang_score"] > 0.9, d["text"].count("\n") + 1)'
  ind True 1
  $ cat summary.txt
  korpus-filter: 1 documents, 0 dropped
  korpus-filter: languages: 1 ind
  korpus-filter: paragraphs in another language removed: 2
  korpus-filter: documents in a kept language only once those were out: 1
  $ cut -c1-50 song-out.jsonl
  {"id":"song","rule":"foreign-paragraph","lang":"en
  {"id":"song","rule":"foreign-paragraph","lang":"en
  $ korpus-filter -q --no-quality --keep ind song.jsonl
  korpus-filter: no document left: all 1 were dropped (--removed says why; --annotate keeps them)
  [1]

But not when all that would be left is lines too short to be judged alone
(links, captions); the line breaks that paragraphs taken out leave at the
start or the end go with them; and a document in a language the model
does not know loses no line (it judges each line among those it knows):

  $ cat > short.jsonl <<'EOF'
  > {"id":"links","text":"The central bank raised its benchmark rate by a quarter point on Thursday to fight inflation.\nBaca juga: emas naik\nAnalysts had expected the move after prices rose faster than forecast for three months.\nBaca juga: rupiah menguat\nSimak berita terkini lainnya."}
  > {"id":"lead","text":"We are deeply concerned about the situation and call on all parties to exercise restraint.\n\nMenteri itu mengutip pernyataan resmi dari kedutaan pada konferensi pers di Jakarta kemarin.\n\nIa mengatakan pemerintah akan terus memantau keadaan warga negara Indonesia di sana."}
  > {"id":"sw","text":"Watoto wote wanapenda kucheza mpira kila jioni baada ya shule.\nMama yangu anapika chakula kitamu sana kwa ajili ya familia yetu yote.\nWakulima wengi wanasubiri mvua ili waanze kupanda mahindi na maharagwe shambani."}
  > EOF
  $ korpus-filter -q --no-quality --keep ind --drop-foreign-paragraphs --removed short-out.jsonl short.jsonl | python3 -c '
  > import json, sys
  > for l in sys.stdin:
  >     d = json.loads(l); print(d["id"], repr(d["text"][:8]), d["text"].count("\n"))'
  lead 'Menteri ' 2
  $ cut -c1-40 short-out.jsonl
  {"id":"links","rule":"lang-eng","lang":"
  {"id":"lead","rule":"foreign-paragraph",
  {"id":"sw","rule":"lang-oth","lang":"oth
  $ korpus-filter -q --no-quality --keep oth --drop-foreign-paragraphs short.jsonl | python3 -c '
  > import json, sys
  > for l in sys.stdin:
  >     d = json.loads(l); print(d["id"], d["metadata"]["lang"], d["text"].count("\n") + 1)'
  sw oth 3
  $ korpus-filter --keep xyz langs.jsonl
  korpus-filter: --keep: the model knows no language 'xyz'
  Usage: korpus-filter [OPTION]... [FILE]...
  Try 'korpus-filter --help' for more information.
  [2]

The model is trained by a command of the project from lines LANG<TAB>text
(corpora/lang-id/README.md has the one that made the built-in model):

  $ printf 'ind\tSaya pergi ke pasar membeli sayur.\neng\tI went to the market to buy vegetables.\n' > tiny.tsv
  $ korpus-filter --train tiny.tsv -o tiny.model --bits 12
  korpus-filter: tiny.model: a model of 2 lines, 8248 bytes
  $ echo '{"id":"a","text":"Saya membeli sayur di pasar."}' | korpus-filter -q --no-quality --model tiny.model | grep -o '"lang":"[a-z]*"'
  "lang":"ind"
  $ printf 'indonesian\tSaya.\n' | korpus-filter --train -o x.model
  korpus-filter: -:1: 'indonesian': a language code of three lower-case letters (LANG:VARIETY: a variety of it, up to 15 letters or digits), 16 classes at most
  [1]

A language written in two registers can be learnt as two varieties,
LANG:VARIETY, each a class of its own: a text of either is the language,
scored by both together, and the language is counted once:

  $ printf 'ind\tgue pergi ke pasar beli sayur dong\nind:formal\tPemerintah menetapkan anggaran pendidikan nasional.\neng\tI went to the market to buy vegetables.\n' > var.tsv
  $ korpus-filter -q --train var.tsv -o var.model --bits 12
  $ head -4 var.model
  korpus-langid 3
  bits 12
  scale 158.750000
  langs ind ind eng
  $ printf '%s\n' '{"id":"a","text":"Pemerintah menetapkan anggaran."}' '{"id":"b","text":"gue beli sayur dong"}' '{"id":"c","text":"I buy vegetables."}' | korpus-filter --no-quality --model var.model | grep -o '"lang":"[a-z]*"'
  korpus-filter: 3 documents, 0 dropped
  korpus-filter: languages: 2 ind, 1 eng (all kept)
  "lang":"ind"
  "lang":"ind"
  "lang":"eng"
  $ printf 'ind:\tSaya.\nind:Formal\tSaya.\n' | korpus-filter --train -o x.model
  korpus-filter: -:1: 'ind:': a language code of three lower-case letters (LANG:VARIETY: a variety of it, up to 15 letters or digits), 16 classes at most
  [1]

The built-in model is the one the training files make, byte for byte, by
the command of corpora/lang-id/README.md:

  $ korpus-filter -q --train $TESTDIR/../corpora/lang-id/*.tsv -o built.model
  $ cmp built.model $TESTDIR/../lib/data/langid.model

--seed N trains on the same lines in another order (0 is the built-in
model's): the same seed, the same model; another, other weights.  Both go
with --train only:

  $ head -120 $TESTDIR/../corpora/lang-id/nusax-train.tsv > seed.tsv
  $ korpus-filter -q --train seed.tsv -o s.model --bits 12
  $ korpus-filter -q --train seed.tsv -o s0.model --bits 12 --seed 0
  $ cmp s0.model s.model
  $ korpus-filter -q --train seed.tsv -o s7.model --bits 12 --seed 7
  $ korpus-filter -q --train seed.tsv -o s7b.model --bits 12 --seed 7
  $ cmp s7.model s7b.model
  $ cmp -s s7.model s.model || echo other weights
  other weights
  $ echo '{"id":"a","text":"x"}' | korpus-filter --seed 7
  korpus-filter: --seed and --bits go with --train
  Usage: korpus-filter [OPTION]... [FILE]...
  Try 'korpus-filter --help' for more information.
  [2]
