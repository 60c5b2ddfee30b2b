#!/usr/bin/env bash
# Regenerates the Ames housing table bundled in dnn-api (dev/dnn/data/ames-housing/ames.csv.gz) from
# Debian's packages of R and of the MIT-licensed modeldata package, and checks it against the
# bundled file. The CSV is what R's write.csv gives: a header, 2,930 rows of 74 columns, text
# quoted. gzip -n leaves out the name and time, so the same CSV gives the same bytes.
#
# Needs: apt-get install -y --no-install-recommends r-base-core r-cran-modeldata
# Usage: scripts/make-ames.sh          write the bundled file (and say whether it changed)
#        scripts/make-ames.sh --check  write nothing; exit 1 unless the output is byte-identical
set -euo pipefail
cd "$(dirname "$0")/.."
dir=dnn-api/src/main/resources/dev/dnn/data/ames-housing
out="$dir/ames.csv.gz"
check=false
[[ "${1:-}" == --check ]] && check=true

if ! command -v Rscript > /dev/null || ! Rscript -e 'quit(status = !requireNamespace("modeldata", quietly = TRUE))' > /dev/null 2>&1; then
  echo "make-ames: R or its modeldata package is missing; install them with" >&2
  echo "  apt-get install -y --no-install-recommends r-base-core r-cran-modeldata" >&2
  exit 1
fi
echo "make-ames: from $(dpkg-query -W -f='${Package} ${Version}, ' r-base-core r-cran-modeldata 2> /dev/null || echo 'packages not from dpkg, ')R $(Rscript -e 'cat(format(getRversion()))')"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
# C.UTF-8 and --vanilla: no locale or profile of this machine changes what R writes.
(cd "$tmp" && LC_ALL=C.UTF-8 Rscript --vanilla -e \
  'data(ames, package = "modeldata"); write.csv(as.data.frame(ames), "ames.csv", row.names = FALSE)')
gzip -9 -n -c "$tmp/ames.csv" > "$tmp/ames.csv.gz"
echo "make-ames: ames.csv $(wc -l < "$tmp/ames.csv") lines, $(wc -c < "$tmp/ames.csv") bytes, sha256 $(sha256sum "$tmp/ames.csv" | cut -d' ' -f1); gzipped $(wc -c < "$tmp/ames.csv.gz") bytes"

if [[ -f "$out" ]] && cmp -s "$tmp/ames.csv.gz" "$out"; then
  echo "make-ames: byte-identical to $out"
  exit 0
fi
if $check; then
  if [[ -f "$out" ]] && cmp -s "$tmp/ames.csv" <(gzip -dc "$out"); then
    echo "make-ames: the CSV is identical to the bundled one, the gzip bytes are not (another gzip?)" >&2
  else
    echo "make-ames: differs from $out" >&2
  fi
  exit 1
fi
mkdir -p "$dir"
cp "$tmp/ames.csv.gz" "$out"
echo "make-ames: wrote $out"
