#!/bin/sh
# Render the demo agency's October 2026 reports and turn their first pages into the PNGs shown
# in docs/reports.md (pdftoppm, from poppler-utils). Run from the repository: make report-pages
set -e
WS=${1:-demo-workspace}
OUT=docs/images
[ -f "$WS/smmkpi.toml" ] || .venv/bin/smmkpi demo "$WS" --as-of 2026-11-26 --no-reports >/dev/null
mkdir -p "$OUT"
for spec in homedecor:ru coffeelab:ru pacificbrew:en; do
    client=${spec%%:*}
    lang=${spec##*:}
    .venv/bin/smmkpi -w "$WS" report "$client" --month 2026-10 --as-of 2026-11-26 \
        --lang "$lang" --format pdf --out "$WS/reports/pages" >/dev/null
    for page in 1 2 3; do
        pdftoppm -png -r 60 -f $page -l $page -singlefile \
            "$WS/reports/pages/$client-2026-10-$lang.pdf" "$OUT/report-$client-$lang-$page"
    done
done
ls "$OUT"
