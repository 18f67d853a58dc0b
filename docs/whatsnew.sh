#!/usr/bin/env bash
# Renders the README's picture of the "What's new" page (docs/whatsnew.png)
# at 100 dpi: the bundled example made a git repository and tagged v0.2,
# then changed (a chapter renamed, a paragraph given two links, a chapter
# added) and tagged v0.3; the screen PDF's What's new page beside its
# contents with their "new" and "updated" marks.
# Needs Go, git and poppler-utils (pdftoppm, pdftotext).
# Usage: docs/whatsnew.sh [DIR]   (DIR: where the PNG goes, default docs/)
set -euo pipefail
cd "$(dirname "$0")/.."
dest=${1:-docs}
mkdir -p "$dest"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
go build -o "$out/handbook" ./cmd/handbook
src="$out/src"
"$out/handbook" init "$src" >/dev/null
export GIT_AUTHOR_DATE=2025-03-14T00:00:00Z GIT_COMMITTER_DATE=2025-03-14T00:00:00Z
g() { git -C "$src" -c user.name=Docs -c user.email=docs@example.org -c commit.gpgsign=false -c tag.gpgsign=false "$@"; }
g init -q
g add -A .
g commit -q -m "v0.2"
g tag v0.2
inc="$src/_includes"
sed -i 's|<h2>Kernel Methods</h2>|<h2>Kernel Methods and Support Vector Machines</h2>|' "$inc/section2.md"
sed -i '25s|$| For a hands-on start, see [XGBoost'"'"'s introduction to boosted trees](https://xgboost.readthedocs.io/en/stable/tutorials/model.html) and [LightGBM'"'"'s features](https://lightgbm.readthedocs.io/en/stable/Features.html).|' "$inc/section2.md"
cat >>"$inc/section3.md" <<'MD'

<h2>Anomaly Detection</h2>

Some questions are not about the typical point but the odd one out. [Isolation forests](https://scikit-learn.org/stable/modules/outlier_detection.html#isolation-forest) isolate anomalies with random splits; a mixture model's density flags points that no component explains well.
MD
g commit -q -a -m "v0.3"
g tag v0.3
SOURCE_DATE_EPOCH=1741910400 "$out/handbook" build "$src" -o "$out/books" --format pdf --paper a4 --edition screen --checksums=false --quiet
pdf=$(ls "$out"/books/*.pdf)
page=$(for p in 1 2 3 4 5 6 7 8; do pdftotext -f $p -l $p "$pdf" - | grep -q "What’s new in" && echo $p && break; done)
render() { pdftoppm -png -r 100 -f "$2" -l "$2" -singlefile "$1" "$3"; }
render "$pdf" "$page" "$out/whatsnew"
render "$pdf" $((page + 1)) "$out/contents"
go run ./docs/thumb side "$dest/whatsnew.png" "$out/whatsnew.png" "$out/contents.png"
cp "$out/books/CHANGES.md" "$out/CHANGES.md" && cat "$out/CHANGES.md"
ls -l "$dest/whatsnew.png"
