#!/usr/bin/env bash
# Renders the pages of the bundled example that the README shows: the PDF's
# cover, contents, a part opener and a body page, and the EPUB's cover.
# Needs poppler-utils (pdftoppm, pdftotext) and unzip. Usage: docs/render.sh
set -euo pipefail
cd "$(dirname "$0")/.."
go build -o bin/handbook ./cmd/handbook
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
SOURCE_DATE_EPOCH=1741910400 bin/handbook build --out "$out" --format epub,pdf --paper a4 --checksums=false --quiet
pdf=$(ls "$out"/*.pdf)
pages=$(pdfinfo "$pdf" | awk '/^Pages:/ {print $2}')
# The page on which a text first appears (after the contents page).
page_of() {
  for ((p = 4; p <= pages; p++)); do
    if pdftotext -f "$p" -l "$p" "$pdf" - | grep -q "$1"; then echo "$p"; return; fi
  done
  echo 1
}
render() { pdftoppm -png -r 60 -f "$1" -l "$1" -singlefile "$pdf" "docs/$2"; }
render 1 pdf-cover
render 3 pdf-contents
render "$(page_of 'Framing Prediction Problems')" pdf-part-opener
render "$(page_of 'Validation, Metrics and Leakage')" pdf-body
unzip -p "$out"/*.epub EPUB/images/cover.png > "$out/cover.png" 2>/dev/null || unzip -p "$out"/*.epub '*cover*.png' > "$out/cover.png"
go run ./docs/thumb "$out/cover.png" docs/epub-cover.png 400
ls -l docs/*.png
