#!/bin/sh
# The system packages smmkpi needs beyond Python, installed when missing (Debian/Ubuntu):
#   libpango-1.0-0, libpangoft2-1.0-0  WeasyPrint's text layout (PDF reports)
#   libharfbuzz-subset0                fast font subsetting in PDFs (WeasyPrint)
#   fonts-dejavu-core                  Cyrillic fonts for the PDF
#   poppler-utils                      pdftoppm/pdftotext, to look at rendered PDFs
#   chromium                           the browser of the end-to-end tests (Playwright drives
#                                      it; no browser is downloaded)
#   postgresql                         initdb/pg_ctl: the tests start a PostgreSQL server on a
#                                      loopback port (the PostgreSQL store, `smmkpi migrate`)
#   default-jre-headless               Java for Spark in local mode (`smmkpi kpi --engine spark`)
# `make install` runs it; it does nothing when everything is there.
set -e
PACKAGES="libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core poppler-utils chromium postgresql default-jre-headless"
if ! command -v dpkg-query >/dev/null 2>&1; then
    echo "smmkpi: not a Debian system; make sure these are installed: $PACKAGES" >&2
    exit 0
fi
missing=""
for package in $PACKAGES; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $package"
    fi
done
[ -z "$missing" ] && exit 0
echo "smmkpi: installing system packages:$missing"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
$SUDO apt-get update -qq
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
