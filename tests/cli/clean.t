korpus-clean removes the chrome of Indonesian news pages and keeps the
article.  The seed article (a real Pos Kupang page): exactly its body
paragraphs remain, and what was removed is listed with --explain.

  $ korpus-import -q --added 2026-11-29T00:00:00Z $TESTDIR/data/clean/seed.txt > seed.jsonl
  $ korpus-clean seed.jsonl > clean.jsonl
  korpus-clean: 1 documents (0 dropped: no prose left); text 2.4 kB in, 1.6 kB out (31.6% removed)
  korpus-clean: removed: 4 footer, 2 byline, 1 title, 1 section-label, 1 teaser, 1 dateline, 1 baca-juga, 1 ui, 1 credit, 1 photo-credit, 1 caption, 1 end-mark
  $ python3 -c 'import json,sys; sys.stdout.write(json.load(open("clean.jsonl"))["text"])' | cmp - $TESTDIR/data/clean/seed.expected.txt
  $ python3 -c 'import json; m = json.load(open("clean.jsonl"))["metadata"]; print(json.dumps(m, ensure_ascii=False))'
  {"path": "seed.txt", "dateline": {"place": "Atambua", "outlet": "POS-KUPANG.COM"}, "title": "Wakil Bupati Belu ke Imigrasi Bangun Sinergitas", "authors": ["Teni Jenahas"], "editor": "Kanis Jehola", "credit_source": "Pos Kupang", "published": "2022-01-26"}
  $ korpus-clean -q --explain seed.jsonl | python3 -c 'import json,sys; [print(r["rule"], "|", r["text"][:60]) for r in json.load(sys.stdin)["metadata"]["removed"]]'
  section-label | Berita Belu
  title | Wakil Bupati Belu ke Imigrasi Bangun Sinergitas
  teaser | Wakil Bupati Belu, Drs. Aloysius Haleserens, MM berkunjung k
  byline | Penulis: Teni Jenahas | Editor: Kanis Jehola
  photo-credit | POS-KUPANG.COM/TENI JENAHAS
  caption | DISKUSI---Wakil Bupati Belu, Drs. Aloysius Haleserens, MM be
  byline | Laporan Reporter POS-KUPANG.COM, Teni Jenahas
  dateline | POS-KUPANG.COM, ATAMBUA -
  baca-juga | Baca juga: Pegawai Imigrasi Atambua Ikut Seminar Pengelolaan
  end-mark | (*)
  credit | Sumber: Pos Kupang
  footer | • Ikuti kami di
  ui | KOMENTAR
  footer | BERITA TERKINI
  footer | © 2023 TRIBUNnews.com Network,a subsidiary of KG Media.
  footer | All Right Reserved

--removed writes the same as records beside the output; --keep-dateline
leaves the dateline in the text.

  $ korpus-clean -q --removed removed.jsonl seed.jsonl > /dev/null; head -2 removed.jsonl
  {"id":"seed","rule":"section-label","text":"Berita Belu"}
  {"id":"seed","rule":"title","text":"Wakil Bupati Belu ke Imigrasi Bangun Sinergitas"}
  $ korpus-clean -q --keep-dateline seed.jsonl | python3 -c 'import json,sys; print(json.load(sys.stdin)["text"][:50])'
  POS-KUPANG.COM, ATAMBUA - Wakil Bupati Belu, Drs. 

Other fields pass through byte for byte.  A document left with no prose
(fewer than three words) is dropped and counted, and --removed gets it whole
with the reason; --keep-empty keeps it, flagged; a run that drops every
document is an error:

  $ printf '%s\n' '{"id":"x",  "text":"Advertisement\n\nBaca juga: Judul Lain", "n":1.50e2}' '{"id":"y","text":"JAKARTA, KOMPAS.com - Harga cabai naik lagi di pasar induk."}' > two.jsonl
  $ korpus-clean two.jsonl --removed removed.jsonl
  {"id":"y","text":"Harga cabai naik lagi di pasar induk.","metadata":{"dateline":{"place":"Jakarta","outlet":"KOMPAS.com"}}}
  korpus-clean: 2 documents (1 dropped: no prose left); text 95 bytes in, 37 bytes out (61.1% removed)
  korpus-clean: removed: 1 dateline, 1 baca-juga, 1 advertisement
  $ cat removed.jsonl
  {"id":"x","rule":"advertisement","text":"Advertisement"}
  {"id":"x","rule":"baca-juga","text":"Baca juga: Judul Lain"}
  {"id":"x","rule":"no-prose","text":"","document":{"id":"x",  "text":"Advertisement\n\nBaca juga: Judul Lain", "n":1.50e2}}
  {"id":"y","rule":"dateline","text":"JAKARTA, KOMPAS.com -"}
  $ head -1 two.jsonl | korpus-clean -q --keep-empty
  {"id":"x",  "text":"", "n":1.50e2,"metadata":{"clean_empty":true}}
  $ head -1 two.jsonl | korpus-clean -q
  korpus-clean: no document left: none of the 1 had prose left after cleaning (--removed has them; --keep-empty keeps them)
  [1]

Users add the chrome of a site with --rules (the format of --dump-rules);
a bad rules file is a usage error naming the file and line.

  $ printf 'Harga cabai naik di semua pasar tradisional pekan ini.\n\nTonton juga Dokumenter Cabai\n\nPedagang mengeluhkan sepinya pembeli.' | korpus-import -q --added 2026-11-29T00:00:00Z --format txt > site.jsonl
  $ korpus-clean -q site.jsonl | python3 -c 'import json,sys; print(repr(json.load(sys.stdin)["text"]))'
  'Harga cabai naik di semua pasar tradisional pekan ini.\n\nTonton juga Dokumenter Cabai\n\nPedagang mengeluhkan sepinya pembeli.'
  $ printf '# our site\npromo  line  tonton juga *\n' > mine.txt
  $ korpus-clean -q --rules mine.txt site.jsonl | python3 -c 'import json,sys; print(repr(json.load(sys.stdin)["text"]))'
  'Harga cabai naik di semua pasar tradisional pekan ini.\n\nPedagang mengeluhkan sepinya pembeli.'
  $ printf 'promo lines x\n' > bad.txt
  $ korpus-clean --rules bad.txt site.jsonl
  korpus-clean: bad.txt:1: bad scope 'lines'
  Usage: korpus-clean [OPTION]... [FILE]...
  Try 'korpus-clean --help' for more information.
  [2]
  $ korpus-clean --dump-rules | grep -c '^baca-juga'
  9

The sample corpus: the same output for every -j, and an invalid line is an
error with its file and line.

  $ korpus-import -q --added 2026-11-29T00:00:00Z $TESTDIR/../corpora/sample > sample.jsonl
  $ korpus-clean -q -j 1 sample.jsonl > j1.jsonl
  $ korpus-clean -q -j 3 sample.jsonl > j3.jsonl
  $ cmp j1.jsonl j3.jsonl
  $ wc -l < j3.jsonl
  300
  $ printf '{"text":"Harga cabai naik lagi."}\nnot json\n' | korpus-clean -q
  korpus-clean: <stdin>:2: invalid JSON at column 1: expected a JSON object, found 'n'
  {"text":"Harga cabai naik lagi."}
  [1]

Datelines in the forms of real scrapes (lines written after them, not quoted
from them): what a scraper leaves of a dateline whose outlet and place were
links (a dash after the commas of the dropped words, also mis-decoded as
Mac-Roman), a dateline that lost its dash, a dash without a space before it.
The remnant counts only at the very start of a document; a dash that opens
a later paragraph is a list item:

  $ printf '%s\n' \
  >   '{"id":"a","text":" - Polisi menangkap dua pemuda yang mencuri sepeda motor di kampus itu pada Selasa malam."}' \
  >   '{"id":"b","text":", , -¬†Lembaga itu meminta presiden menunda pengesahan rancangan undang-undang tersebut."}' \
  >   '{"id":"c","text":"‚Äì Harga cabai di pasar induk naik lagi menjelang akhir pekan ini, kata para pedagang."}' \
  >   '{"id":"d","text":"JAKARTA, KOMPAS.com Gejolak nilai tukar rupiah terhadap dollar AS belum juga mereda pekan ini."}' \
  >   '{"id":"e","text":"Madrid- Pembalap tim pabrikan itu finis ketiga dalam balapan yang berlangsung di bawah hujan."}' \
  >   '{"id":"f","text":"Warga berharap pemerintah segera bertindak atas kenaikan harga bahan pokok di pasar.\n\n- Harga beras naik dua kali dalam sebulan terakhir menurut para pedagang di sana."}' \
  >   | korpus-clean -q
  {"id":"a","text":"Polisi menangkap dua pemuda yang mencuri sepeda motor di kampus itu pada Selasa malam."}
  {"id":"b","text":"Lembaga itu meminta presiden menunda pengesahan rancangan undang-undang tersebut."}
  {"id":"c","text":"Harga cabai di pasar induk naik lagi menjelang akhir pekan ini, kata para pedagang."}
  {"id":"d","text":"Gejolak nilai tukar rupiah terhadap dollar AS belum juga mereda pekan ini.","metadata":{"dateline":{"place":"Jakarta","outlet":"KOMPAS.com"}}}
  {"id":"e","text":"Pembalap tim pabrikan itu finis ketiga dalam balapan yang berlangsung di bawah hujan.","metadata":{"dateline":{"place":"Madrid","outlet":null}}}
  {"id":"f","text":"Warga berharap pemerintah segera bertindak atas kenaikan harga bahan pokok di pasar.\n\n- Harga beras naik dua kali dalam sebulan terakhir menurut para pedagang di sana."}

A page whose paragraphs a scraper joined with commas ("... dia.,Sementara")
gets its paragraphs back, and the chrome after them goes: a byline and a
credit split off at the join, an editor code left bare by "loading...", the
commas of empty paragraphs.  A comma where a link was lost ("film,Februari",
"di,Saat") is no join, nor is one inside a number or a quotation:

  $ cat > explain.py <<'PY'
  > import json, sys
  > for l in sys.stdin:
  >     d = json.loads(l)
  >     print(json.dumps(d["text"], ensure_ascii=False))
  >     print(" ", [(r["rule"], r["text"]) for r in d["metadata"]["removed"]])
  > PY
  $ printf '%s\n' \
  >   '{"id":"a","text":",,,Warga berharap pemerintah segera bertindak atas kenaikan harga di pasar.,\"Harga beras naik 2,5 persen,\" kata seorang pedagang.,,Setelah membintangi film,Februari lalu, ia fokus pada musik dan kuliahnya.,Reporter: Putu Merta,Sumber: Liputan6.com"}' \
  >   '{"id":"b","text":"Ruang kerja wali kota disegel sejak Rabu pagi.,,Para pegawai tidak tahu apakah ada dokumen yang diambil dari ruangan tersebut.,,Polisi masih menyelidiki siapa yang memberi perintah penyegelan itu. (pm),loading..."}' \
  >   | korpus-clean -q --explain | python3 explain.py
  "Warga berharap pemerintah segera bertindak atas kenaikan harga di pasar.\n\n\"Harga beras naik 2,5 persen,\" kata seorang pedagang.\n\nSetelah membintangi film,Februari lalu, ia fokus pada musik dan kuliahnya."
    [('byline', 'Reporter: Putu Merta'), ('credit', 'Sumber: Liputan6.com')]
  "Ruang kerja wali kota disegel sejak Rabu pagi.\n\nPara pegawai tidak tahu apakah ada dokumen yang diambil dari ruangan tersebut.\n\nPolisi masih menyelidiki siapa yang memberi perintah penyegelan itu."
    [('editor-code', '(pm)'), ('ui', 'loading...')]

Chrome glued to the end of an article comes off in layers, each cut at its
join and the prose before it kept: a pager with its linked headlines, an
editor code with the tag list after it (one unit), a video promo, an embed:

  $ printf '%s\n' \
  >   '{"id":"a","text":"Quartararo juga menyebut faktor hujan deras saat sesi latihan bebas pertama membuatnya terjatuh dari motor.Simak Video \"Hasil Kualifikasi MotoGP Spanyol: Fabio Quartararo Pole!\" [Gambas:Video 20detik] (cas/mrp) fabio quartararo motogp motogp 2019 yamaha Sebelumnya Fokus Dovi Bukan Marquez Lagi 1 / 2 Selanjutnya 22 Seri Balapan Berarti Waktu Liburan"}' \
  >   | korpus-clean -q --explain | python3 -c '
  > import json, sys
  > d = json.load(sys.stdin)
  > print(d["text"])
  > for r in d["metadata"]["removed"]: print(" ", r["rule"], "|", r["text"])'
  Quartararo juga menyebut faktor hujan deras saat sesi latihan bebas pertama membuatnya terjatuh dari motor.
    promo | Simak Video "Hasil Kualifikasi MotoGP Spanyol: Fabio Quartararo Pole!"
    editor-code | (cas/mrp) fabio quartararo motogp motogp 2019 yamaha
    embed | [Gambas:Video 20detik]
    ui | Sebelumnya Fokus Dovi Bukan Marquez Lagi 1 / 2 Selanjutnya 22 Seri Balapan Berarti Waktu Liburan

Never the article: a header line goes as the title when it equals the
document's own title (metadata.title) or reads as a headline; a line that
reads as prose stays wherever it stands, even above a dateline:

  $ printf '%s\n' \
  >   '{"id":"a","text":"Harga Cabai Naik Lagi\n\nPedagang di pasar induk mengeluh karena harga cabai rawit naik dua kali dalam sepekan.\n\nJAKARTA, KOMPAS.com - Harga cabai rawit di pasar induk kembali naik menjelang akhir pekan ini.","metadata":{"title":"Harga cabai naik lagi!"}}' \
  >   '{"id":"b","text":"Ramalan Zodiak Hari Ini: Cancer Konflik Besar\n\nMenurut para ahli, bintang bakal dilanda konflik.\n\nJAKARTA, KOMPAS.com - Konflik dan ketegangan ini terjadi dengan sahabat dan rekan kerja."}' \
  >   | korpus-clean -q --explain | python3 explain.py
  "Pedagang di pasar induk mengeluh karena harga cabai rawit naik dua kali dalam sepekan.\n\nHarga cabai rawit di pasar induk kembali naik menjelang akhir pekan ini."
    [('title', 'Harga Cabai Naik Lagi'), ('dateline', 'JAKARTA, KOMPAS.com -')]
  "Menurut para ahli, bintang bakal dilanda konflik.\n\nKonflik dan ketegangan ini terjadi dengan sahabat dan rekan kerja."
    [('title', 'Ramalan Zodiak Hari Ini: Cancer Konflik Besar'), ('dateline', 'JAKARTA, KOMPAS.com -')]

A "Baca juga:" followed by more capitalised words than a headline holds (a
list of names) keeps them: no end of the headline in sight.

  $ python3 -c 'import json; print(json.dumps({"id": "n", "text": "Warga kota berkumpul di alun-alun untuk merayakan hari jadi kota yang ke seratus. Baca juga: " + " ".join("Nama%d" % i for i in range(80)) + " hadir di sana."}))' | korpus-clean -q | python3 -c 'import json,sys; t = json.load(sys.stdin)["text"]; print(t[:40], "...", t[-21:])'
  Warga kota berkumpul di alun-alun untuk  ... Nama79 hadir di sana.
