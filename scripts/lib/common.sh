# Shared by scripts/demo, scripts/check and the benchmark scripts.
# Source it; it sets $ROOT and defines ensure_packages.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

# Debian packages needed to build and test korpus.
KORPUS_PACKAGES="cmake make gcc pkg-config python3 gzip libicu-dev libstemmer-dev zlib1g-dev libyajl-dev libxxhash-dev libdeflate-dev libhunspell-dev hunspell-id"

# ensure_packages PKG...: install what is missing with apt-get when root,
# otherwise print the exact command and exit 1.
ensure_packages() {
	local missing=() p
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	if [ "$(id -u)" -ne 0 ]; then
		echo "korpus needs these Debian packages: ${missing[*]}" >&2
		echo "install them with:" >&2
		echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
		exit 1
	fi
	echo "installing ${missing[*]}" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >&2 || { echo "apt-get update failed" >&2; exit 1; }
	apt-get install -y -qq "${missing[@]}" >&2 || { echo "apt-get install failed" >&2; exit 1; }
}

ncpu() { nproc 2>/dev/null || echo 2; }

# build_release: configure and build an optimised tree in $ROOT/build.
build_release() {
	cmake -S "$ROOT" -B "$ROOT/build" -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF -DKORPUS_WERROR=OFF \
		-DKORPUS_SANITIZE=OFF >/dev/null
	cmake --build "$ROOT/build" -j "$(ncpu)" >/dev/null
}

# bench_corpus SIZE: path of a generated news-like JSONL benchmark corpus of
# SIZE (e.g. 100M), made once with scripts/bench/make-corpus and cached.
bench_corpus() {
	local size=$1 f="$ROOT/build/bench/news-$1.jsonl"
	if [ ! -s "$f" ]; then
		mkdir -p "$ROOT/build/bench"
		"$ROOT/scripts/bench/make-corpus" --seed 1 --size "$size" --format jsonl -o "$f.tmp" >&2
		mv "$f.tmp" "$f"
	fi
	echo "$f"
}

# bench_txt_folder SIZE: a folder of raw article .txt files (make-corpus
# --format txt), made once and cached.
bench_txt_folder() {
	local size=$1 d="$ROOT/build/bench/txt-$1"
	if [ ! -d "$d" ]; then
		mkdir -p "$ROOT/build/bench"
		rm -rf "$d.tmp"
		"$ROOT/scripts/bench/make-corpus" --seed 1 --size "$size" --format txt -o "$d.tmp" >&2
		mv "$d.tmp" "$d"
	fi
	echo "$d"
}

# best_of N CMD...: run CMD N times, print the best wall time in seconds.
best_of() {
	local n=$1 best="" t s e
	shift
	for _ in $(seq "$n"); do
		s=$(date +%s.%N)
		"$@" >/dev/null
		e=$(date +%s.%N)
		t=$(echo "$e - $s" | bc -l)
		if [ -z "$best" ] || [ "$(echo "$t < $best" | bc -l)" = 1 ]; then best=$t; fi
	done
	printf '%.3f\n' "$best"
}

# mbps BYTES SECONDS
mbps() { echo "scale=1; $1 / 1000000 / $2" | bc -l; }
