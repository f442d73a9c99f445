# smmkpi — set-up, demo and tests on a fresh machine (Python 3.11+ and make are all it needs).
PYTHON ?= python3
VENV   := .venv
UV     := $(VENV)/bin/uv
STAMP  := $(VENV)/.installed
SYSTEM := $(VENV)/.system-deps
UV_VERSION := 0.13.8
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: install demo test lint format bench bench-import bench-report bench-web bench-engines bench-sync bench-startup bench-commands bench-periods bench-spark docs docs-site report-pages web-pages clean i18n

install: $(STAMP) $(SYSTEM)

# System packages (Pango, HarfBuzz, DejaVu fonts, poppler-utils) for the PDF reports.
$(SYSTEM): scripts/system-deps.sh | $(UV)
	sh scripts/system-deps.sh
	@touch $@

# The bootstrap: a virtual environment holding uv, which then installs the locked dependencies.
$(UV):
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(STAMP): pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --quiet --compile-bytecode --all-extras
	@touch $@

demo: install
	$(VENV)/bin/smmkpi demo demo-workspace

test: install
	$(VENV)/bin/python -m pytest -n 2 -q

lint: install
	$(VENV)/bin/ruff check src tests benchmarks scripts
	$(VENV)/bin/ruff format --check src tests benchmarks scripts
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports --no-cache

format: install
	$(VENV)/bin/ruff format src tests benchmarks
	$(VENV)/bin/ruff check --fix src tests benchmarks

bench: install
	$(VENV)/bin/python benchmarks/kpi_bench.py

bench-import: install
	$(VENV)/bin/python benchmarks/import_bench.py
	$(VENV)/bin/python benchmarks/platform_import_bench.py

bench-report: install
	$(VENV)/bin/python benchmarks/report_bench.py

bench-engines: install
	$(VENV)/bin/python benchmarks/engines_bench.py

bench-sync: install
	$(VENV)/bin/python benchmarks/sync_bench.py

bench-startup: install
	$(VENV)/bin/python benchmarks/startup_bench.py

bench-commands: install
	$(VENV)/bin/python benchmarks/commands_bench.py

bench-spark: install
	$(VENV)/bin/python benchmarks/spark_start_bench.py

bench-periods: install
	$(VENV)/bin/python benchmarks/periods_bench.py

bench-web: install
	$(VENV)/bin/python benchmarks/web_bench.py

# The PNGs of the demo reports' first pages in docs/images (pdftoppm).
report-pages: install
	sh scripts/report-pages.sh

# Screenshots of the web app's main pages in docs/images (headless chromium).
web-pages: install
	[ -f demo-workspace/smmkpi.toml ] || $(VENV)/bin/smmkpi demo demo-workspace --as-of 2026-11-26
	$(VENV)/bin/python scripts/web_screenshots.py demo-workspace

docs: install
	$(VENV)/bin/python -m smmkpi.docs_gen

# The documentation site in site/ (MkDocs, Material), strict: a broken link fails it.
docs-site: install
	NO_MKDOCS_2_WARNING=1 $(VENV)/bin/mkdocs build --strict --quiet

clean:
	rm -rf $(VENV) demo-workspace .pytest_cache .mypy_cache .ruff_cache

# Refresh the Russian catalogue after changing messages in the code; then translate what is new.
i18n: install
	$(VENV)/bin/pybabel extract -F babel.cfg -k _ -k N_ -k ngettext:1,2 --no-location \
		--sort-output --project smmkpi -o .venv/smmkpi.pot .
	$(VENV)/bin/pybabel update -i .venv/smmkpi.pot -d src/smmkpi/locale -D smmkpi -l ru \
		--no-fuzzy-matching --ignore-obsolete
