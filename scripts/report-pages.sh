#!/bin/sh
# Render the demo agency's October 2026 reports (the client edition, what clients are sent) and
# turn every page into the PNGs shown in docs/reports.md (pdftoppm, from poppler-utils). Run
# from the repository: make report-pages
set -e
WS=${1:-demo-workspace}
OUT=docs/images
[ -f "$WS/smmkpi.toml" ] || .venv/bin/smmkpi demo "$WS" --as-of 2026-11-26 --no-reports >/dev/null
mkdir -p "$OUT"
rm -f "$OUT"/report-*.png
for spec in homedecor:ru coffeelab:ru pacificbrew:en; do
    client=${spec%%:*}
    lang=${spec##*:}
    .venv/bin/smmkpi -w "$WS" report "$client" --month 2026-10 --as-of 2026-11-26 \
        --lang "$lang" --format pdf --edition client --out "$WS/reports/pages" >/dev/null
    pdftoppm -png -r 60 "$WS/reports/pages/$client-2026-10-$lang.pdf" "$OUT/report-$client-$lang"
done
ls "$OUT"/report-*.png
