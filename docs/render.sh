#!/usr/bin/env bash
# Renders the pages of the bundled example that the README shows: the PDF's
# cover, contents, a part opener and a body page, and the EPUB's cover.
# Needs Go, poppler-utils (pdftoppm, pdfinfo, pdftotext) and unzip.
# Usage: docs/render.sh [DIR]   (DIR: where the PNGs go, default docs/)
set -euo pipefail
cd "$(dirname "$0")/.."
dest=${1:-docs}
mkdir -p "$dest"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
go build -o "$out/handbook" ./cmd/handbook
# The screen edition on A4 only: one PDF, whatever other editions exist.
SOURCE_DATE_EPOCH=1741910400 "$out/handbook" build --example -o "$out/books" \
  --format epub,pdf --paper a4 --edition screen --checksums=false --quiet
pdfs=("$out"/books/*.pdf)
if [ ${#pdfs[@]} -ne 1 ]; then
  echo "render.sh: expected one PDF, got: ${pdfs[*]}" >&2
  exit 1
fi
pdf=${pdfs[0]}
pages=$(pdfinfo "$pdf" | awk '/^Pages:/ {print $2}')
# The page on which a text first appears (after the contents page).
page_of() {
  for ((p = 4; p <= pages; p++)); do
    if pdftotext -f "$p" -l "$p" "$pdf" - | grep -q "$1"; then echo "$p"; return; fi
  done
  echo "render.sh: no page shows \"$1\"" >&2
  exit 1
}
render() { pdftoppm -png -r 60 -f "$1" -l "$1" -singlefile "$pdf" "$dest/$2"; }
render 1 pdf-cover
render 3 pdf-contents
render "$(page_of 'Framing Prediction Problems')" pdf-part-opener
render "$(page_of 'Validation, Metrics and Leakage')" pdf-body
unzip -p "$out"/books/*.epub EPUB/images/cover.png > "$out/cover.png"
go run ./docs/thumb "$out/cover.png" "$dest/epub-cover.png" 400
ls -l "$dest"/*.png
