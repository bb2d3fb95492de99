korpus-split writes one sentence per line, paragraphs separated by a blank
line, and changes no other character.  The seed article after cleaning:

  $ korpus-import -q --added 2026-11-29T00:00:00Z $TESTDIR/data/clean/seed.txt | korpus-clean -q | korpus-split > split.jsonl
  korpus-split: 1 documents, 7 paragraphs, 12 sentences
  $ python3 -c 'import json; print(json.load(open("split.jsonl"))["text"])'
  Wakil Bupati Belu, Drs. Aloysius Haleserens, MM berkunjung ke Kantor Imigrasi Kelas II TPI Atambua, Rabu, 26 Januari 2022.
  Kedatangan Wabup Alo Haleserens disambut Kepala Kantor Imigrasi Atambua, K.A Halim.
  
  Dalam diskusi terbatas di ruang kerja Kakanim, Wabup Belu menyampaikan, kedatangannya dalam rangka mempererat hubungan antara Pemerintah Kabupaten Belu dan Imigrasi.
  Kemudian membangun kerja sama dalam menangani masalah pelintas ilegal.
  
  Wabup Alo Haleserens menyoroti masalah pelintas batas masih saja terjadi.
  Pemerintah menyadari bahwa untuk mencegah hal ini, perlu diadakan koordinasi antar pemerintah dan juga imigrasi sebagai pihak yang mengawasi lalu lintas orang yang masuk dan keluar ke wilayah Indonesia.
  
  "Untuk mencegah hal ini dibutuhkan kerja sama lintas sektor.
  Kegiatan ini harus terus dilaksanakan untuk memperkuat sinergitas antara Pemda Belu dan Imigrasi dalam menjaga keamanan dan ketertiban di wilayah perbatasan yang menjadi tanggung jawab bersama", ujarnya.
  
  Wabup Belu juga menyampaikan visi dan misi Pemerintah Kabupaten Belu kepada kepala Imigrasi dan jajarannya.
  Untuk mewujudkan visi dan misi itu, pemerintah tidak bisa bekerja sendiri tetapi membutuhkan dukungan dari stakeholder termasuk Imigrasi.
  
  Kakanwil Kemenkumham NTT, Merciana Jone melalui Kepala Kantor Imigrasi Atambua, K.A Halim mengatakan, Imigrasi akan terus bersinergi dengan pemerintah untuk meminimalisir pelintas yang masuk secara ilegal ke wilayah Indonesia.
  
  Imigrasi juga mendukung program-program pemerintah daerah demi terwujudnya visi pemerintah yakni Belu yang Sehat, Berkarakter dan Kompetitif.

--format text is plain text for language-model tools: one sentence per
line, a blank line between documents.

  $ printf '{"text":"Drs. Aloysius datang. Ia disambut K.A Halim."}\n{"text":"Judul\\n\\nIsi. Lagi!"}\n' | korpus-split -q --format text
  Drs. Aloysius datang.
  Ia disambut K.A Halim.
  
  Judul
  Isi.
  Lagi!
  

Other fields pass through byte for byte; the output is the same for any
number of workers.

  $ printf '{"id": 7, "text": "A b. C d.",  "x": [1.0e1]}\n' | korpus-split -q
  {"id": 7, "text": "A b.\nC d.",  "x": [1.0e1]}
  $ korpus-import -q --added 2026-11-29T00:00:00Z $TESTDIR/../corpora/sample | korpus-clean -q > sample.jsonl
  $ korpus-split -q -j 1 sample.jsonl > one.jsonl; korpus-split -q -j 3 sample.jsonl | cmp - one.jsonl

Abbreviations a corpus uses that the built-in list lacks: --abbrev adds a
file, --learn finds them (Punkt-style) and writes a model --model loads.

  $ printf '{"text":"Rapat dipimpin Komr. Budi."}\n' | korpus-split -q --format text
  Rapat dipimpin Komr.
  Budi.
  
  $ printf 'Komr.\ttitle\n' > mine.txt
  $ printf '{"text":"Rapat dipimpin Komr. Budi."}\n' | korpus-split -q --format text --abbrev mine.txt
  Rapat dipimpin Komr. Budi.
  
  $ python3 -c 'import json; [print(json.dumps({"text": "Rapat dipimpin Komr. Budi di ruang %d. Ia datang bersama Komr. Sari dan stafnya." % i})) for i in range(30)]' > corpus.jsonl
  $ korpus-split --learn model.txt corpus.jsonl
  korpus-split: 30 documents; 1 abbreviations learned into model.txt
  $ grep -v '^#' model.txt
  Komr.	title
  $ printf '{"text":"Rapat dipimpin Komr. Budi."}\n' | korpus-split -q --format text --model model.txt
  Rapat dipimpin Komr. Budi.
  
  $ printf 'Komr\ttitle\n' > bad.txt
  $ korpus-split --abbrev bad.txt < /dev/null
  korpus-split: bad.txt:1: 'Komr' is not an abbreviation ending in '.'
  Usage: korpus-split [OPTION]... [FILE]...
  Try 'korpus-split --help' for more information.
  [2]
  $ korpus-split --dump-abbrev | grep -c '	title$'
  150
