korpus-import turns article collections into documents without changing the
text.  A fixed --added keeps the output reproducible.

  $ cp -r $TESTDIR/data/import/. .
  $ imp() { korpus-import --added 2026-11-29T00:00:00Z "$@"; }

A folder of .txt files: walked recursively in byte order of names; hidden
files and other extensions are ignored; the id is the path relative to the
folder; an empty article is skipped and counted; invalid UTF-8 (an old site
in Windows-1252) becomes U+FFFD and is counted in metadata.invalid_utf8.

  $ imp articles
  {"id":"kompas/2025-06-04-0001","text":"Harga Cabai Rawit Naik Jelang Iduladha\n\nJAKARTA, KOMPAS.com - Harga cabai rawit di sejumlah pasar tradisional Jakarta naik menjadi Rp 75.000 per kilogram, Rabu (4/6/2025).\n\nBaca juga: Harga Bawang Merah Turun\n\n\"Kenaikan ini biasa terjadi menjelang hari raya,\" kata Kepala Dinas KPKP DKI Jakarta.\n","source":"kompas","added":"2026-11-29T00:00:00Z","metadata":{"path":"kompas/2025-06-04-0001.txt"}}
  {"id":"tribun/belu/2009-03-01-0001","text":"Kafe �Sinar� di Atambua menjual caf� lokal.\n","source":"tribun","added":"2026-11-29T00:00:00Z","metadata":{"path":"tribun/belu/2009-03-01-0001.txt","invalid_utf8":3}}
  {"id":"tribun/belu/2022-01-26-0001","text":"Berita Belu\n\nPOS-KUPANG.COM, ATAMBUA - Wakil Bupati Belu, Drs. Aloysius Haleserens, MM berkunjung ke Kantor Imigrasi Kelas II TPI Atambua. (*)\n","source":"tribun","added":"2026-11-29T00:00:00Z","metadata":{"path":"tribun/belu/2022-01-26-0001.txt"}}
  korpus-import: 3 documents written, 4 read from 4 files (487 bytes)
  korpus-import: skipped: 1 empty
  korpus-import: invalid UTF-8 replaced by U+FFFD in 1 document(s) (3 sequences)
  $ imp -q articles --skipped skipped.jsonl > /dev/null; cat skipped.jsonl
  {"id":"kompas/2025-06-05-0001","reason":"empty","file":"articles/kompas/2025-06-05-0001.txt","line":1}
  $ imp --encoding windows-1252 articles/tribun -q | grep 2009
  {"id":"belu/2009-03-01-0001","text":"Kafe “Sinar” di Atambua menjual café lokal.\n","source":"belu","added":"2026-11-29T00:00:00Z","metadata":{"path":"belu/2009-03-01-0001.txt"}}
  $ imp --strict articles > /dev/null
  korpus-import: articles/tribun/belu/2009-03-01-0001.txt:1: invalid UTF-8 (byte 0x93); without --strict it is replaced by U+FFFD
  korpus-import: 1 document written, 3 read from 3 files (344 bytes)
  korpus-import: skipped: 1 empty
  [1]
  $ imp --source kompas -q articles/kompas/2025-06-04-0001.txt | cut -c1-60
  {"id":"2025-06-04-0001","text":"Harga Cabai Rawit Naik Jelan
  $ cat articles/kompas/2025-06-04-0001.txt | imp -q --format txt | cut -c1-60
  {"id":"stdin","text":"Harga Cabai Rawit Naik Jelang Iduladha

The text is the file's bytes, exactly: importing and decoding gives them back.

  $ imp -q articles/kompas/2025-06-04-0001.txt | python3 -c 'import json,sys; sys.stdout.write(json.loads(sys.stdin.read())["text"])' | cmp - articles/kompas/2025-06-04-0001.txt

Lines and paragraphs of a text file.

  $ imp --format lines lines.txt
  {"id":"lines:1","text":"Harga cabai naik di Jakarta.","source":"lines","added":"2026-11-29T00:00:00Z","metadata":{"path":"lines.txt","line":1}}
  {"id":"lines:3","text":"Banjir melanda Kampung Melayu.","source":"lines","added":"2026-11-29T00:00:00Z","metadata":{"path":"lines.txt","line":3}}
  {"id":"lines:4","text":"Gempa mengguncang Cianjur.","source":"lines","added":"2026-11-29T00:00:00Z","metadata":{"path":"lines.txt","line":4}}
  korpus-import: 3 documents written, 4 read from 1 file (89 bytes)
  korpus-import: skipped: 1 empty
  $ imp --format paragraphs paragraphs.txt
  {"id":"paragraphs:1","text":"Paragraf pertama baris satu.\nbaris dua.","source":"paragraphs","added":"2026-11-29T00:00:00Z","metadata":{"path":"paragraphs.txt","line":1}}
  {"id":"paragraphs:5","text":"Paragraf kedua.","source":"paragraphs","added":"2026-11-29T00:00:00Z","metadata":{"path":"paragraphs.txt","line":5}}
  korpus-import: 2 documents written, 2 read from 1 file (58 bytes)

CSV (a UTF-8 BOM, CRLF, quoted fields with newlines, commas and doubled
quotes) and TSV; the text column is found by name, the others go to metadata.

  $ imp news.csv
  {"id":"kmp-1","text":"JAKARTA, KOMPAS.com - Harga cabai naik.\n\n\"Kenaikan ini biasa,\" katanya, Rabu.","source":"news","added":"2026-11-29T00:00:00Z","created":"2025-06-04","metadata":{"title":"Harga Cabai Naik","tanggal":"2025-06-04","url":"https://www.kompas.com/a"}}
  {"id":"dtk-2","text":"Jakarta - Banjir melanda Kampung Melayu.\nWarga mengungsi ke masjid.","source":"news","added":"2026-11-29T00:00:00Z","created":"2025-06-05","metadata":{"title":"Banjir, Warga Mengungsi","tanggal":"2025-06-05","url":"https://news.detik.com/b"}}
  korpus-import: 2 documents written, 3 read from 1 file (341 bytes)
  korpus-import: skipped: 1 empty
  korpus-import: dates: 2 read into "created", 0 not understood
  korpus-import: byte order marks removed: 1
  $ imp news.tsv --meta-cols source_url
  {"id":"news:1","text":"CIANJUR, KOMPAS.com - Gempa bermagnitudo 5,6 mengguncang Cianjur.","source":"news","added":"2026-11-29T00:00:00Z","metadata":{"source_url":"https://x/1","title":"Gempa di Cianjur"}}
  {"id":"news:2","text":"Jakarta (ANTARA) - KPU menetapkan jadwal kampanye.","source":"news","added":"2026-11-29T00:00:00Z","metadata":{"source_url":"https://x/2","title":"Pemilu 2024"}}
  korpus-import: 2 documents written, 2 read from 1 file (192 bytes)
  $ imp -q news.csv --text-col judul --id-col url --meta-cols tanggal | head -1
  {"id":"https://www.kompas.com/a","text":"Harga Cabai Naik","source":"news","added":"2026-11-29T00:00:00Z","created":"2025-06-04","metadata":{"tanggal":"2025-06-04"}}
  $ imp news.csv --text-col nope
  korpus-import: news.csv:1: no column 'nope' in the header (id, judul, tanggal, content, url)
  korpus-import: 0 documents written, 0 read from 1 file (341 bytes)
  [1]
  $ imp bad-quote.csv
  korpus-import: bad-quote.csv:4: unexpected 't' after a closing quote; the quoted field opened on line 2 (an unbalanced quote?)
  korpus-import: 0 documents written, 0 read from 1 file (58 bytes)
  [1]
  $ printf 'id,text\n1,"tidak pernah ditutup\n2,x\n' | imp
  korpus-import: <stdin>:2: unterminated quoted field: no closing '"' before the end of input
  korpus-import: 0 documents written, 0 read from 1 file (36 bytes)
  [1]
  $ imp missing-cols.csv
  korpus-import: missing-cols.csv:3: record 2 has 2 fields, the header has 3
  {"id":"1","text":"Harga cabai naik.","source":"missing-cols","added":"2026-11-29T00:00:00Z","metadata":{"url":"https://a"}}
  korpus-import: 1 document written, 1 read from 1 file (63 bytes)
  [1]

WARC/WET: conversion records and plain-text responses become documents (a
declared charset is converted); HTML responses are skipped; --lang keeps the
records whose first identified language is listed.  Gzip works, also one
member per record.

  $ imp sample.wet
  {"id":"urn:uuid:6a1b0a0e-0001-4c1e-9f00-000000000001","text":"Jakarta (ANTARA) - Presiden meresmikan bendungan baru di Jawa Tengah.\nBendungan itu mengairi 5.000 hektare sawah.","source":"sample","added":"2026-11-29T00:00:00Z","created":"2025-06-10T08:15:00Z","metadata":{"url":"https://www.antaranews.com/berita/1","language":"ind"}}
  {"id":"urn:uuid:6a1b0a0e-0002-4c1e-9f00-000000000002","text":"The president opened a new dam in Central Java.","source":"sample","added":"2026-11-29T00:00:00Z","created":"2025-06-10T09:00:00Z","metadata":{"url":"https://www.bbc.com/news/2","language":"eng"}}
  {"id":"urn:uuid:6a1b0a0e-0003-4c1e-9f00-000000000003","text":"TEMPO.CO, Jakarta - Harga emas Antam naik Rp 5.000 per gram.","source":"sample","added":"2026-11-29T00:00:00Z","created":"2025-06-10T10:30:00Z","metadata":{"url":"https://www.tempo.co/3","language":"ind,msa"}}
  {"id":"urn:uuid:6a1b0a0e-0005-4c1e-9f00-000000000005","text":"Kafe délït di Bandung.","source":"sample","added":"2026-11-29T00:00:00Z","created":"2025-06-10T11:05:00Z","metadata":{"url":"https://example.id/kafe.txt"}}
  korpus-import: 4 documents written, 5 read from 1 file (1.9 kB)
  korpus-import: skipped: 1 html
  korpus-import: WARC records without documents (warcinfo, request, metadata, ...): 1
  $ gzip -c sample.wet > sample.wet.gz && imp -q sample.wet.gz | wc -l
  4
  $ imp --lang ind sample.wet --skipped /dev/stderr > /dev/null
  {"id":"urn:uuid:6a1b0a0e-0002-4c1e-9f00-000000000002","reason":"language","file":"sample.wet","line":23}
  {"id":"urn:uuid:6a1b0a0e-0004-4c1e-9f00-000000000004","reason":"language","file":"sample.wet","line":45}
  {"id":"urn:uuid:6a1b0a0e-0005-4c1e-9f00-000000000005","reason":"language","file":"sample.wet","line":58}
  korpus-import: 2 documents written, 5 read from 1 file (1.9 kB)
  korpus-import: skipped: 3 language
  korpus-import: WARC records without documents (warcinfo, request, metadata, ...): 1
  $ imp truncated.wet > /dev/null
  korpus-import: truncated.wet:34: truncated WARC record: Content-Length is 60 bytes, the input ends after 24
  korpus-import: 2 documents written, 2 read from 1 file (1.2 kB)
  korpus-import: WARC records without documents (warcinfo, request, metadata, ...): 1
  [1]

JSONL from elsewhere: --text-field maps a field to "text", the others move
into metadata (existing metadata kept); without it, the first of text, body,
content, isi, isi_berita, konten, article, artikel, berita that a record has
is the text.  Dolma-style lines keep every byte and gain only what they lack.
Input that gives no document at all is an error, with the fields it saw:

  $ imp --text-field body hf.jsonl
  {"id":"hf:1","text":"JAKARTA, KOMPAS.com - Harga cabai naik menjadi Rp 75.000 per kilogram.","source":"hf","added":"2026-11-29T00:00:00Z","created":"2025-06-01","metadata":{"lang":"id","title":"Harga Cabai Naik","url":"https://x/0","published":"2025-06-01","tags":["ekonomi"]}}
  {"id":"hf:2","text":"Jakarta - Banjir melanda “Kampung Melayu”, warga mengungsi.","source":"hf","added":"2026-11-29T00:00:00Z","created":"2025-06-02","metadata":{"lang":"id","title":"Banjir Jakarta","url":"https://x/1","published":"2025-06-02","tags":["ekonomi"]}}
  korpus-import: 2 documents written, 3 read from 1 file (543 bytes)
  korpus-import: skipped: 1 no_text_field
  korpus-import: dates: 2 read into "created", 0 not understood
  $ imp hf.jsonl | cmp - <(imp -q --text-field body hf.jsonl)
  korpus-import: 2 documents written, 3 read from 1 file (543 bytes)
  korpus-import: skipped: 1 no_text_field
  korpus-import: dates: 2 read into "created", 0 not understood
  $ imp --text-field isi hf.jsonl
  korpus-import: no document: every one of the 3 records read was skipped; no text field in JSONL records like the first, which has: title, body, url, published, tags, metadata (name it with --text-field)
  korpus-import: 0 documents written, 3 read from 1 file (543 bytes)
  korpus-import: skipped: 3 no_text_field
  korpus-import: hint: no JSONL line has the text field; name it with --text-field (the first one has: title, body, url, published, tags, metadata)
  [1]
  $ imp dolma.jsonl
  {"id":"d1","text":"Jakarta (ANTARA) - Bendungan diresmikan.","source":"antara","metadata":{"url":"https://a"},"added":"2026-11-29T00:00:00Z"}
  {"id":2, "text":"Tanpa sumber.",  "created":"2025-01-01","source":"dolma","added":"2026-11-29T00:00:00Z"}
  korpus-import: 2 documents written, 2 read from 1 file (169 bytes)
  $ printf '{"text":"a"}\n{"text": 5}\n{"text":"b"}\n' | imp
  korpus-import: <stdin>:2: "text" is not a string
  {"text":"a","id":"stdin:1","source":"stdin","added":"2026-11-29T00:00:00Z"}
  korpus-import: 1 document written, 2 read from 1 file (38 bytes)
  [1]
  $ printf '{"text":"a"}\nnot json\n{"text":"b"}\n' | imp --skip-invalid --rejects rej.jsonl; cat rej.jsonl
  {"text":"a","id":"stdin:1","source":"stdin","added":"2026-11-29T00:00:00Z"}
  {"text":"b","id":"stdin:3","source":"stdin","added":"2026-11-29T00:00:00Z"}
  korpus-import: 2 documents written, 2 read from 1 file (35 bytes)
  korpus-import: invalid JSONL lines skipped: 1
  not json

Usage errors.

  $ imp --format xml x
  korpus-import: unknown format 'xml' (txt, lines, paragraphs or text, csv, tsv, jsonl, warc, wet)
  Usage: korpus-import [OPTION]... [INPUT]...
  Try 'korpus-import --help' for more information.
  [2]
  $ imp --encoding utf-16 x
  korpus-import: encoding 'utf-16' is not ASCII-compatible (convert it first)
  Usage: korpus-import [OPTION]... [INPUT]...
  Try 'korpus-import --help' for more information.
  [2]
  $ imp --added yesterday x
  korpus-import: --added wants an ISO 8601 time such as 2026-11-29T00:00:00Z
  Usage: korpus-import [OPTION]... [INPUT]...
  Try 'korpus-import --help' for more information.
  [2]
  $ imp missing-folder
  korpus-import: cannot open 'missing-folder': No such file or directory
  korpus-import: 0 documents written, 0 read from 0 files (0 bytes)
  [1]

A broken link to an article is an article not read (an error, not a silent
skip); a link to a folder is never followed:

  $ mkdir -p links/a && echo "Satu dua tiga." > links/a/x.txt && ln -s /nonexistent links/a/y.txt && ln -s .. links/a/up
  $ korpus-import -q --added 2026-11-29T00:00:00Z links > /dev/null
  korpus-import: cannot read 'links/a/y.txt': No such file or directory
  [1]
  $ rm links/a/y.txt && korpus-import -q --added 2026-11-29T00:00:00Z links | wc -l
  1

A folder of exports of several formats: each file is read as its name says
(a .jsonl.gz export, a CSV, a text file; other files are left alone):

  $ mkdir -p mixed/sub
  $ printf '{"id":"e1","body":"Harga cabai naik lagi di pasar induk menjelang akhir pekan ini."}\n' | gzip > mixed/export.jsonl.gz
  $ printf 'id,judul,isi\nc1,Harga,"Warga berharap pemerintah segera bertindak atas kenaikan harga."\n' > mixed/sub/berita.csv
  $ printf 'Polisi menangkap dua pemuda yang mencuri sepeda motor di kampus itu.\n' > mixed/sub/satu.txt
  $ printf 'catatan\n' > mixed/README.md
  $ imp -q mixed | python3 -c 'import json,sys; [print(json.loads(l)["id"]) for l in sys.stdin]'
  e1
  c1
  sub/satu

Publication dates: "created" (RFC 3339) from the record's date field (the
first of date, tanggal, published, ...; --created-field names another), in
the forms exports write them; the field stays in metadata, and dates not
understood are counted with the first of them:

  $ printf '%s\n' '{"id":"1","body":"x","date":"43747"}' '{"id":"2","body":"x","date":"16/09/2019"}' \
  >   '{"id":"3","body":"x","date":" Sep 10, 2019 "}' '{"id":"4","body":"x","date":"10-Sep-19"}' \
  >   '{"id":"5","body":"x","date":"Senin, 10 September 2019 12:34 WIB"}' '{"id":"6","body":"x","date":"Diperbarui 10/09/2019, 08.18 WIB"}' \
  >   '{"id":"7","body":"x","date":"12:34"}' '{"id":"8","body":"x","date":"2015/08/25"}' '{"id":"9","body":"x","date":"Oktober 25, 2019"}' \
  >   '{"id":"10","body":"x","date":1568592000}' '{"id":"11","body":"x","tanggal":"2019-09-10T12:34:56Z"}' \
  >   '{"id":"12","body":"x","date":"Tayang: Rabu, 4 Juni 2025 | 08.18 WITA"}' '{"id":"13","body":"x","date":"31/02/2019"}' > dates.jsonl
  $ imp dates.jsonl > dated.jsonl
  korpus-import: 13 documents written, 13 read from 1 file (634 bytes)
  korpus-import: dates: 11 read into "created", 2 not understood (the first: "12:34")
  $ python3 -c 'import json,sys; [print(d["id"], d.get("created"), d["metadata"].get("date", d["metadata"].get("tanggal"))) for d in map(json.loads, sys.stdin)]' < dated.jsonl
  1 2019-10-09 43747
  2 2019-09-16 16/09/2019
  3 2019-09-10  Sep 10, 2019 
  4 2019-09-10 10-Sep-19
  5 2019-09-10T12:34:00+07:00 Senin, 10 September 2019 12:34 WIB
  6 2019-09-10T08:18:00+07:00 Diperbarui 10/09/2019, 08.18 WIB
  7 None 12:34
  8 2015-08-25 2015/08/25
  9 2019-10-25 Oktober 25, 2019
  10 2019-09-16T00:00:00Z 1568592000
  11 2019-09-10T12:34:56Z 2019-09-10T12:34:56Z
  12 2025-06-04T08:18:00+08:00 Tayang: Rabu, 4 Juni 2025 | 08.18 WITA
  13 None 31/02/2019

Numeric dates are read day first, as Indonesia writes them; a date that only
month first can read (no month 25) is read so and counted, with a note: an
export that writes dates month first (--date-order mdy reads them so, and
then counts what only day first can read):

  $ printf '%s\n' '{"body":"x","date":"09/25/2019 10:00"}' '{"body":"x","date":"09/10/2019"}' '{"body":"x","date":"25/09/2019"}' > us.jsonl
  $ imp us.jsonl --counts us.json | grep -o '"created":"[^"]*"'
  korpus-import: 3 documents written, 3 read from 1 file (105 bytes)
  korpus-import: dates: 3 read into "created", 0 not understood
  korpus-import: dates only readable month first: 1 (the first: "09/25/2019 10:00"); the export may write them so, and its dates like 09/10/2019 were read day first: see --date-order
  "created":"2019-09-25T10:00:00"
  "created":"2019-10-09"
  "created":"2019-09-25"
  $ grep -o '"dated_other_order.*' us.json
  "dated_other_order":1,"other_order_example":"09/25/2019 10:00"}
  $ imp -q --date-order mdy us.jsonl | grep -o '"created":"[^"]*"'
  "created":"2019-09-25T10:00:00"
  "created":"2019-09-10"
  "created":"2019-09-25"
  $ imp --date-order mdy us.jsonl 2>&1 >/dev/null | grep only
  korpus-import: dates only readable day first: 1 (the first: "25/09/2019"); the export may write them so, and its dates like 09/10/2019 were read month first: see --date-order
  $ imp --date-order ymd us.jsonl
  korpus-import: --date-order: expected dmy or mdy, not 'ymd'
  Usage: korpus-import [OPTION]... [INPUT]...
  Try 'korpus-import --help' for more information.
  [2]

Fields of exports under their usual names: the site becomes the "source"
(unless the record has one, or --source is given), "judul" the title and
"link" the url in metadata (unless those are there already):

  $ printf '%s\n' '{"id":"a","site":"detik.com","judul":"Harga cabai naik","link":"https://x/1","body":"Harga cabai rawit naik lagi."}' \
  >   '{"id":"b","source":"kompas","site":"kompas.com","title":"T","judul":"J","body":"Isi berita."}' | imp -q
  {"id":"a","text":"Harga cabai rawit naik lagi.","source":"detik.com","added":"2026-11-29T00:00:00Z","metadata":{"title":"Harga cabai naik","url":"https://x/1"}}
  {"id":"b","text":"Isi berita.","source":"kompas","added":"2026-11-29T00:00:00Z","metadata":{"site":"kompas.com","title":"T","judul":"J"}}

A file named .csv is CSV whatever its header: without a column the text can
be in, it is an error naming its columns (not one document of the whole
file); isi_berita is a text column:

  $ printf 'judul,tanggal,naskah\n"Harga cabai","2019-09-10","Harga cabai naik lagi."\n' > naskah.csv
  $ imp naskah.csv
  korpus-import: naskah.csv:1: no text column in the header (judul, tanggal, naskah); name it with --text-field
  korpus-import: 0 documents written, 0 read from 1 file (73 bytes)
  [1]
  $ printf 'judul,tanggal,isi_berita\n"Harga cabai","2019-09-10","Harga cabai naik lagi."\n' > berita.csv
  $ imp -q berita.csv
  {"id":"berita:1","text":"Harga cabai naik lagi.","source":"berita","added":"2026-11-29T00:00:00Z","created":"2019-09-10","metadata":{"title":"Harga cabai","tanggal":"2019-09-10"}}

Every part of a document can be named, in JSONL and CSV alike: the id, the
title, the source, the date and the address; --metadata-fields keeps only
the listed fields besides them (the date's own string stays, in metadata):

  $ printf '%s\n' '{"no":17,"portal":"tempo","head":"Harga emas","terbit":"Selasa, 10 September 2019 | 08.18 WIB","alamat":"https://t/1","isi":"Harga emas naik.","penulis":"A","kategori":"bisnis","source":"feed"}' > ekspor.jsonl
  $ imp -q ekspor.jsonl --id-field no --source-field portal --title-field head --created-field terbit --url-field alamat --metadata-fields kategori
  {"id":17,"text":"Harga emas naik.","source":"tempo","added":"2026-11-29T00:00:00Z","created":"2019-09-10T08:18:00+07:00","metadata":{"title":"Harga emas","terbit":"Selasa, 10 September 2019 | 08.18 WIB","url":"https://t/1","kategori":"bisnis"}}
  $ printf 'kode,media,judul_berita,tgl,isi_berita,penulis\nk1,kompas,Harga cabai,10-Sep-19,Harga cabai naik.,B\nk2,,Banjir,43747,Banjir lagi.,C\n' > ekspor.csv
  $ imp ekspor.csv --id-field kode --source-field media --title-field judul_berita --created-field tgl --metadata-fields penulis
  {"id":"k1","text":"Harga cabai naik.","source":"kompas","added":"2026-11-29T00:00:00Z","created":"2019-09-10","metadata":{"penulis":"B","title":"Harga cabai","tgl":"10-Sep-19"}}
  {"id":"k2","text":"Banjir lagi.","source":"ekspor","added":"2026-11-29T00:00:00Z","created":"2019-10-09","metadata":{"penulis":"C","title":"Banjir","tgl":"43747"}}
  korpus-import: 2 documents written, 2 read from 1 file (131 bytes)
  korpus-import: dates: 2 read into "created", 0 not understood

A named column the header lacks is an error naming the columns it has; a
part named twice, differently, is a usage error:

  $ imp -q ekspor.csv --title-field headline
  korpus-import: ekspor.csv:1: no column 'headline' in the header (kode, media, judul_berita, tgl, isi_berita, penulis)
  [1]
  $ imp -q ekspor.csv --text-col isi_berita --text-field isi
  korpus-import: the text field is named twice ('isi_berita', 'isi')
  Usage: korpus-import [OPTION]... [INPUT]...
  Try 'korpus-import --help' for more information.
  [2]

With --strict --skip-invalid, the rejects file holds each skipped record
itself (a text file's own bytes, not a JSONL line read before), and the
summary tells invalid JSONL lines from other records with invalid UTF-8:

  $ printf '{"text":"x"}\nbukan json\n' > mix.jsonl
  $ printf 'satu \377\n' > bad.txt
  $ imp --strict --skip-invalid --rejects r.txt mix.jsonl bad.txt > /dev/null; od -An -c r.txt
  korpus-import: 1 document written, 2 read from 2 files (31 bytes)
  korpus-import: invalid JSONL lines skipped: 1
  korpus-import: records (not JSONL) with invalid UTF-8 skipped (--strict): 1
     b   u   k   a   n       j   s   o   n  \n   s   a   t   u    
   377  \n

A shard of one large file: --byte-range S:E reads only the lines that start
at a byte offset in [S, E) of one plain JSONL or lines file, with the ids,
line numbers and source of the whole file.  Three shards cut at line starts
(a small script finds them, and the number of each one's first line) give
together exactly what the whole file gives, byte for byte, with the line of
each skipped record and counts that add up:

  $ python3 -c 'import json; [print(json.dumps({"id": "b%d" % i, "text": "Berita %d." % i} if i % 3 else {"text": "Berita %d tanpa id." % i if i % 7 else " "})) for i in range(1, 41)]' > besar.jsonl
  $ python3 -c 'import sys; d = open(sys.argv[1], "rb").read(); c = [0] + [d.find(b"\n", len(d) * k // 3 - 1) + 1 for k in (1, 2)] + [len(d)]; [print("%d:%d %d" % (c[k], c[k + 1], d.count(b"\n", 0, c[k]) + 1)) for k in range(3)]' besar.jsonl > shards; cat shards
  0:473 1
  473:903 15
  903:1355 28
  $ export SOURCE_DATE_EPOCH=1
  $ korpus-import besar.jsonl --skipped whole.skipped --counts whole.counts > whole.jsonl
  korpus-import: 39 documents written, 40 read from 1 file (1.4 kB)
  korpus-import: skipped: 1 empty
  $ k=0; while read r f; do k=$((k+1)); korpus-import --byte-range $r besar.jsonl --skipped skip$k --counts counts$k; done < shards > parts.jsonl
  korpus-import: 14 documents written, 14 read from 1 file (473 bytes)
  korpus-import: 12 documents written, 13 read from 1 file (430 bytes)
  korpus-import: skipped: 1 empty
  korpus-import: 13 documents written, 13 read from 1 file (452 bytes)
  $ cmp parts.jsonl whole.jsonl && cat skip1 skip2 skip3 | cmp - whole.skipped && grep -c '"id":"besar:' whole.jsonl
  12
  $ cat skip2
  {"id":"besar:21","reason":"empty","file":"besar.jsonl","line":21}
  $ cat counts2
  {"read":13,"written":12,"empty":1,"no_text_field":0,"language":0,"html":0,"not_text":0,"too_long":0,"other_records":0,"repaired":0,"repairs":0,"files":1,"bytes":430,"folders_again":0,"byte_order_marks":0,"zero_padding":0,"dated":0,"undated":0,"dated_other_order":0}
  $ python3 -c 'import json, sys; p = [json.load(open(f)) for f in sys.argv[2:]]; w = json.load(open(sys.argv[1])); print([k for k in w if k != "files" and sum(c[k] for c in p) != w[k]])' whole.counts counts1 counts2 counts3
  []

The number of the first line, when the caller knows it, spares reading the
file's start; it gives the same:

  $ while read r f; do korpus-import -q --byte-range $r --first-line $f besar.jsonl; done < shards | cmp - whole.jsonl

The end may fall inside a line (that line is read whole) or past the end of
the file; an empty range gives nothing:

  $ korpus-import -q --byte-range 0:1 besar.jsonl
  {"id": "b1", "text": "Berita 1.","source":"besar","added":"1970-01-01T00:00:01Z"}
  $ korpus-import --byte-range 0:0 besar.jsonl
  korpus-import: 0 documents written, 0 read from 1 file (0 bytes)
  $ korpus-import -q --byte-range "$(sed -n 3p shards | cut -d: -f1)":999999 besar.jsonl | wc -l
  13

A range whose records are all skipped is no error (whether the whole file
gives a document is for whoever joins the shards):

  $ printf '{"text":"satu"}\n{"text":" "}\n' > kosong.jsonl
  $ korpus-import --byte-range 16:29 kosong.jsonl --skipped /dev/stdout
  {"id":"kosong:2","reason":"empty","file":"kosong.jsonl","line":2}
  korpus-import: 0 documents written, 1 read from 1 file (13 bytes)
  korpus-import: skipped: 1 empty

Lines input the same way, and errors at their line in the whole file:

  $ printf 'Satu.\nDua.\n{"text": 5}\nEmpat.\n' > baris.txt
  $ korpus-import --format lines --byte-range 6:11 baris.txt
  {"id":"baris:2","text":"Dua.","source":"baris","added":"1970-01-01T00:00:01Z","metadata":{"path":"baris.txt","line":2}}
  korpus-import: 1 document written, 1 read from 1 file (5 bytes)
  $ printf '{"text":"satu"}\n{"text":"dua"}\n{"text": 5}\n' > salah.jsonl
  $ korpus-import --byte-range 16:100 salah.jsonl
  korpus-import: salah.jsonl:3: "text" is not a string
  {"text":"dua","id":"salah:2","source":"salah","added":"1970-01-01T00:00:01Z"}
  korpus-import: 1 document written, 2 read from 1 file (27 bytes)
  [1]

A start that is not at a line start, or is past the end, is an error naming
the file; a start past the end of the range, a compressed file, a folder,
standard input and the formats that are not read a line at a time are usage
errors:

  $ korpus-import --byte-range 10:20 besar.jsonl
  korpus-import: --byte-range 10:20: offset 10 of 'besar.jsonl' is not at a line start
  [1]
  $ korpus-import --byte-range 999999:9999999 besar.jsonl
  korpus-import: --byte-range 999999:9999999: offset 999999 of 'besar.jsonl' is past its end (1355 bytes)
  [1]
  $ korpus-import --byte-range 20:10 besar.jsonl
  korpus-import: --byte-range 20:10: START is past END
  Usage: korpus-import [OPTION]... [INPUT]...
  Try 'korpus-import --help' for more information.
  [2]
  $ korpus-import --byte-range 10 besar.jsonl
  korpus-import: --byte-range: expected START:END (byte offsets), not '10'
  Usage: korpus-import [OPTION]... [INPUT]...
  Try 'korpus-import --help' for more information.
  [2]
  $ korpus-import --byte-range 0:1x besar.jsonl
  korpus-import: --byte-range: expected START:END (byte offsets), not '0:1x'
  Usage: korpus-import [OPTION]... [INPUT]...
  Try 'korpus-import --help' for more information.
  [2]
  $ korpus-import --first-line 0 --byte-range 0:10 besar.jsonl
  korpus-import: --first-line: expected a line number from 1, not '0'
  Usage: korpus-import [OPTION]... [INPUT]...
  Try 'korpus-import --help' for more information.
  [2]
  $ korpus-import --first-line 3 besar.jsonl
  korpus-import: --first-line goes with --byte-range
  Usage: korpus-import [OPTION]... [INPUT]...
  Try 'korpus-import --help' for more information.
  [2]
  $ gzip -k besar.jsonl && korpus-import --byte-range 0:10 besar.jsonl.gz
  korpus-import: --byte-range 0:10: 'besar.jsonl.gz' is compressed (gzip): a range is for a plain file
  Usage: korpus-import [OPTION]... [INPUT]...
  Try 'korpus-import --help' for more information.
  [2]
  $ korpus-import --byte-range 0:10 articles
  korpus-import: --byte-range 0:10: 'articles' is a folder: a range is for one plain file
  Usage: korpus-import [OPTION]... [INPUT]...
  Try 'korpus-import --help' for more information.
  [2]
  $ korpus-import --byte-range 0:10 < besar.jsonl
  korpus-import: --byte-range reads one INPUT, a file (not standard input)
  Usage: korpus-import [OPTION]... [INPUT]...
  Try 'korpus-import --help' for more information.
  [2]
  $ korpus-import --byte-range 0:10 besar.jsonl baris.txt
  korpus-import: --byte-range reads one INPUT, a file (not standard input)
  Usage: korpus-import [OPTION]... [INPUT]...
  Try 'korpus-import --help' for more information.
  [2]
  $ korpus-import --byte-range 0:10 --format paragraphs baris.txt
  korpus-import: --byte-range is for jsonl or lines input, not paragraphs
  Usage: korpus-import [OPTION]... [INPUT]...
  Try 'korpus-import --help' for more information.
  [2]
  $ korpus-import --check-options --format csv --byte-range 0:10
  korpus-import: --byte-range is for jsonl or lines input, not csv
  Usage: korpus-import [OPTION]... [INPUT]...
  Try 'korpus-import --help' for more information.
  [2]
  $ korpus-import --byte-range 0:10 baris.txt
  korpus-import: --byte-range 0:10: 'baris.txt' is txt input: a range is for jsonl or lines
  Usage: korpus-import [OPTION]... [INPUT]...
  Try 'korpus-import --help' for more information.
  [2]
  $ korpus-import --byte-range 0:10 news.csv
  korpus-import: --byte-range 0:10: 'news.csv' is csv input: a range is for jsonl or lines
  Usage: korpus-import [OPTION]... [INPUT]...
  Try 'korpus-import --help' for more information.
  [2]

Parts of folders, the same way.  --list-files imports nothing: it lists the
files the INPUTs are read from, in the order they are read (sub-folders
walked in byte order of names; only the files whose names the walk takes:
the sample's README.md and LICENSE are no articles), a line each: the
number, from 0 across the INPUTs, the size in bytes, and the path as
messages name it:

  $ ln -s $TESTDIR/../corpora/sample sample
  $ korpus-import --list-files sample > files
  korpus-import: 300 files listed (640.8 kB)
  $ sed -n '1,2p;100,101p;300p' files | tr '\t' '|'
  0|812|sample/antara/2025-01-16-0001.txt
  1|812|sample/antara/2025-01-16-0002.txt
  99|3484|sample/detik/2025-01-27-0007.txt
  100|1827|sample/detik/2025-01-28-0001.txt
  299|2018|sample/tribun/2025-01-31-0001.txt
  $ cut -f1 files | awk '$1 != NR - 1'; cut -f3 files | LC_ALL=C sort -c && find sample/ -name '*.txt' | LC_ALL=C sort | cmp - <(cut -f3 files)
  $ cut -f2,3 files | while IFS=$'\t' read b p; do [ "$(stat -L -c %s "$p")" = "$b" ] || echo "$p"; done
  $ korpus-import --list-files sample/kompas besar.jsonl sample/antara/2025-01-16-0001.txt | tail -3 | tr '\t' '|'
  korpus-import: 57 files listed (120.0 kB)
  54|1880|sample/kompas/2025-01-31-0001.txt
  55|1355|besar.jsonl
  56|812|sample/antara/2025-01-16-0001.txt

--file-range A:B imports only the files numbered A to B-1 (the others are
not opened), each as the whole import does: the same ids (the path relative
to the INPUT), the same source (the sub-folder's name), the same metadata.
Three parts, cut where a small script finds a third of the bytes, give
together exactly what the whole gives, with counts that add up:

  $ awk -F'\t' '{ b[NR - 1] = $2; t += $2 } END { k = 0; s = 0; for (i = 0; i < NR; i++) { if (s >= t * (k + 1) / 3 && k < 2) { c[++k] = i } s += b[i] } print "0:" c[1]; print c[1] ":" c[2]; print c[2] ":" NR }' files > parts; cat parts
  0:107
  107:210
  210:300
  $ korpus-import sample --skipped whole.skipped --counts whole.counts > whole.jsonl
  korpus-import: 300 documents written, 300 read from 300 files (640.8 kB)
  $ k=0; while read r; do k=$((k+1)); korpus-import --file-range $r sample --skipped skip$k --counts counts$k; done < parts > parts.jsonl
  korpus-import: 107 documents written, 107 read from 107 files (216.2 kB)
  korpus-import: 103 documents written, 103 read from 103 files (211.9 kB)
  korpus-import: 90 documents written, 90 read from 90 files (212.7 kB)
  $ cmp parts.jsonl whole.jsonl && cat skip1 skip2 skip3 | cmp - whole.skipped
  $ python3 -c 'import json, sys; p = [json.load(open(f)) for f in sys.argv[2:]]; w = json.load(open(sys.argv[1])); print([k for k in w if sum(c[k] for c in p) != w[k]])' whole.counts counts1 counts2 counts3
  []
  $ korpus-import -q --file-range 100:101 sample | python3 -c 'import json, sys; d = json.load(sys.stdin); print(d["id"], d["source"], d["metadata"])'
  detik/2025-01-28-0001 detik {'path': 'detik/2025-01-28-0001.txt'}

Numbers count across the INPUTs; B may pass the last file, and A:A is an
empty part:

  $ korpus-import --file-range 55:1000 sample/kompas besar.jsonl sample/antara/2025-01-16-0001.txt > some.jsonl
  korpus-import: 40 documents written, 41 read from 2 files (2.2 kB)
  korpus-import: skipped: 1 empty
  $ head -1 some.jsonl; tail -1 some.jsonl | cut -c1-50
  {"id": "b1", "text": "Berita 1.","source":"besar","added":"1970-01-01T00:00:01Z"}
  {"id":"2025-01-16-0001","text":"Seorang pria terte
  $ korpus-import --file-range 300:300 sample; korpus-import --file-range 400:500 sample
  korpus-import: 0 documents written, 0 read from 0 files (0 bytes)
  korpus-import: 0 documents written, 0 read from 0 files (0 bytes)

With --byte-range, --file-range A:A+1 names the one file the byte range is
of, so that one large file in a folder is cut too, still with the folder's
ids and source:

  $ mkdir -p rak/detik rak/kompas && cp besar.jsonl rak/detik/ && cp sample/kompas/2025-01-31-0001.txt rak/kompas/
  $ korpus-import -q --list-files rak -o list && cat list
  0	1355	rak/detik/besar.jsonl
  1	1880	rak/kompas/2025-01-31-0001.txt
  $ korpus-import -q rak > rak.jsonl
  $ (while read r f; do korpus-import -q --file-range 0:1 --byte-range $r rak; done < shards; korpus-import -q --file-range 1:2 rak) | cmp - rak.jsonl
  $ korpus-import -q --file-range 0:1 --byte-range 473:903 --first-line 15 rak | head -1
  {"text": "Berita 15 tanpa id.","id":"detik/besar:15","source":"detik","added":"1970-01-01T00:00:01Z"}

Usage errors: a range that ends before it starts, a number that is not
one, a byte range with more or less than one file, standard input, and
listing with a range or a file of counts:

  $ korpus-import --file-range 5:3 sample
  korpus-import: --file-range 5:3: A is past B
  Usage: korpus-import [OPTION]... [INPUT]...
  Try 'korpus-import --help' for more information.
  [2]
  $ korpus-import --file-range 5 sample
  korpus-import: --file-range: expected A:B (file numbers from 0), not '5'
  Usage: korpus-import [OPTION]... [INPUT]...
  Try 'korpus-import --help' for more information.
  [2]
  $ for v in 1:2x -1:2 1:+2 x:2 1:99999999999999999999999; do korpus-import --file-range $v sample 2>&1 | head -1; done
  korpus-import: --file-range: expected A:B (file numbers from 0), not '1:2x'
  korpus-import: invalid value for --file-range: '-1:2' (expected a whole number)
  korpus-import: invalid value for --file-range: '+2' (expected a whole number)
  korpus-import: invalid value for --file-range: 'x:2' (expected a whole number)
  korpus-import: invalid value for --file-range: '99999999999999999999999' (too large)
  $ korpus-import --file-range 0:2 --byte-range 0:10 rak
  korpus-import: --byte-range is of one file: with it, --file-range A:A+1, not 0:2
  Usage: korpus-import [OPTION]... [INPUT]...
  Try 'korpus-import --help' for more information.
  [2]
  $ korpus-import --check-options --byte-range 0:10 --file-range 3:3
  korpus-import: --byte-range is of one file: with it, --file-range A:A+1, not 3:3
  Usage: korpus-import [OPTION]... [INPUT]...
  Try 'korpus-import --help' for more information.
  [2]
  $ korpus-import --file-range 1:2 --byte-range 0:10 rak
  korpus-import: --byte-range 0:10: 'rak/kompas/2025-01-31-0001.txt' is txt input: a range is for jsonl or lines
  Usage: korpus-import [OPTION]... [INPUT]...
  Try 'korpus-import --help' for more information.
  [2]
  $ korpus-import --file-range 0:1 --byte-range 10:20 rak
  korpus-import: --byte-range 10:20: offset 10 of 'rak/detik/besar.jsonl' is not at a line start
  [1]
  $ korpus-import --file-range 0:1 < besar.jsonl; korpus-import --file-range 0:1 rak - < besar.jsonl
  korpus-import: --file-range: the INPUTs are files and folders (not standard input)
  Usage: korpus-import [OPTION]... [INPUT]...
  Try 'korpus-import --help' for more information.
  korpus-import: --file-range: the INPUTs are files and folders (not standard input)
  Usage: korpus-import [OPTION]... [INPUT]...
  Try 'korpus-import --help' for more information.
  [2]
  $ korpus-import --list-files < besar.jsonl
  korpus-import: --list-files: the INPUTs are files and folders (not standard input)
  Usage: korpus-import [OPTION]... [INPUT]...
  Try 'korpus-import --help' for more information.
  [2]
  $ korpus-import --list-files --file-range 0:1 rak
  korpus-import: --list-files imports nothing: not with --file-range
  Usage: korpus-import [OPTION]... [INPUT]...
  Try 'korpus-import --help' for more information.
  [2]
  $ korpus-import --check-options --counts c.json --list-files
  korpus-import: --list-files imports nothing: not with --skipped or --counts
  Usage: korpus-import [OPTION]... [INPUT]...
  Try 'korpus-import --help' for more information.
  [2]

What the walk cannot read (here a link to an article that is not there)
is an error of the listing as of the import (exit 1); the other INPUTs go
on:

  $ mkdir -p rusak/a && echo Berita > rusak/a/x.txt && ln -s tidak-ada.txt rusak/b.txt
  $ korpus-import -q rusak
  korpus-import: cannot read 'rusak/b.txt': No such file or directory
  {"id":"a/x","text":"Berita\n","source":"a","added":"1970-01-01T00:00:01Z","metadata":{"path":"a/x.txt"}}
  [1]
  $ korpus-import -q --list-files rusak rak > list
  korpus-import: cannot read 'rusak/b.txt': No such file or directory
  [1]
  $ tr '\t' '|' < list
  0|7|rusak/a/x.txt
  1|1355|rak/detik/besar.jsonl
  2|1880|rak/kompas/2025-01-31-0001.txt
