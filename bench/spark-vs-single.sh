#!/usr/bin/env bash
# Captioning and feature extraction of one folder by `captioner spark ... --master local[N]` against the single
# process commands, back to back so both see the same machine load. Prints wall time, images/s and peak RSS.
# Usage: bench/spark-vs-single.sh [IMAGES_DIR] [MASTER]   (defaults: ../shared/data/flickr8k/images, local[2])
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
images="${1:-$here/../shared/data/flickr8k/images}"
master="${2:-local[2]}"
out="$(mktemp -d /tmp/spark-bench.XXXXXX)"
count=$(find "$images" -maxdepth 1 -type f \( -iname '*.jpg' -o -iname '*.jpeg' -o -iname '*.png' \) | wc -l)

run() { # name command...
  local name=$1; shift
  local start end
  start=$(date +%s.%N)
  /usr/bin/time -v -o "$out/$name.time" "$@" > "$out/$name.out" 2> "$out/$name.err"
  end=$(date +%s.%N)
  awk -v n="$name" -v c="$count" -v s="$start" -v e="$end" -v rss="$(awk '/Maximum resident/ {print $6}' "$out/$name.time")" \
    'BEGIN { printf "%-16s %7.1f s  %6.1f images/s  peak RSS %5.2f GB\n", n, e - s, c / (e - s), rss / 1048576 }'
}

echo "$count images in $images; outputs in $out; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
run caption-single "$here/captioner" caption "$images"
run caption-spark "$here/captioner" spark caption --master "$master" --input "$images" --out "$out/captions"
run features-single "$here/captioner" features --images "$images" --out "$out/store" --no-progress
run features-spark "$here/captioner" spark features --master "$master" --input "$images" --out "$out/features"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
