#!/usr/bin/env bash
# Renders the README's pictures from the bundled example at 100 dpi: the
# screen PDF's cover beside its contents, one of its body pages, a page of
# the print edition with a Resources list, and the EPUB's cover.
# Needs Go, poppler-utils (pdftoppm, pdfinfo, pdftotext) and unzip.
# Usage: docs/render.sh [DIR]   (DIR: where the PNGs go, default docs/)
set -euo pipefail
cd "$(dirname "$0")/.."
dest=${1:-docs}
mkdir -p "$dest"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
go build -o "$out/handbook" ./cmd/handbook
SOURCE_DATE_EPOCH=1741910400 "$out/handbook" build --example -o "$out/books" \
  --format epub,pdf --paper a4 --edition screen,print --checksums=false --quiet
screen=$(ls "$out"/books/*.pdf | grep -v -- '-print' || true)
print=$(ls "$out"/books/*-print.pdf || true)
if [ -z "$screen" ] || [ -z "$print" ] || [ "$(echo "$screen" | wc -l)" -ne 1 ]; then
  echo "render.sh: expected one screen PDF and one print edition, got: $screen $print" >&2
  exit 1
fi
# page_of PDF TEXT...: the first page after the front matter that shows
# every TEXT.
page_of() {
  local pdf=$1
  shift
  local pages
  pages=$(pdfinfo "$pdf" | awk '/^Pages:/ {print $2}')
  for ((p = 5; p <= pages; p++)); do
    local txt ok=1
    txt=$(pdftotext -f "$p" -l "$p" "$pdf" -)
    for want in "$@"; do
      grep -q -- "$want" <<<"$txt" || ok=0
    done
    if [ $ok = 1 ]; then echo "$p"; return; fi
  done
  echo "render.sh: no page of $pdf shows $*" >&2
  exit 1
}
render() { pdftoppm -png -r 100 -f "$2" -l "$2" -singlefile "$1" "$3"; }
render "$screen" 1 "$out/cover"
render "$screen" 3 "$out/contents"
go run ./docs/thumb side "$dest/cover-contents.png" "$out/cover.png" "$out/contents.png"
render "$screen" "$(page_of "$screen" 'Validation, Metrics and Leakage')" "$out/body"
go run ./docs/thumb side "$dest/pdf-body.png" "$out/body.png"
mkdir -p "$dest/print"
render "$print" "$(page_of "$print" 'Resources' 'QR code below')" "$out/resources"
go run ./docs/thumb side "$dest/print/resources.png" "$out/resources.png"
unzip -p "$out"/books/*.epub EPUB/images/cover.png > "$out/epub-cover.png"
go run ./docs/thumb "$out/epub-cover.png" "$dest/epub-cover.png" 600
ls -l "$dest"/*.png "$dest"/print/resources.png
