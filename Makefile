# Two commands a newcomer needs: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint install browser quality bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/confkg build data/notes --out out/
	@echo ""
	@echo "Outputs in out/: graph.ttl (Turtle), graph.jsonld (JSON-LD), graph.html (explorer), store/ (Oxigraph store)."
	@echo "Open out/graph.html in a browser, or ask: $(BIN)/confkg query 'SELECT ?p WHERE { ?p a ckg:Person } LIMIT 5'"

# Browser tests drive Debian's Chromium through Playwright (never `playwright install`).
# Where apt is not available the browser tests skip and say why.
browser:
	@if [ ! -x /usr/bin/chromium ] && command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = "0" ]; then \
		echo "installing Debian chromium for the browser tests"; \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
			|| echo "could not install chromium: browser tests will be skipped"; \
	fi

test: $(STAMP) browser
	$(BIN)/ruff check src tests bench
	$(BIN)/python -m pytest

# Entity and NER quality against the gold notes and CrossNER, beside bare spaCy; updates README.
quality: $(STAMP)
	$(BIN)/python bench/quality.py --write-readme README.md

# Speed and scale beside bare spaCy and rdflib (about 20 minutes); writes bench/RESULTS.md.
bench: $(STAMP)
	$(BIN)/python bench/run.py

lint: $(STAMP)
	$(BIN)/ruff check src tests bench

clean:
	rm -rf out .pytest_cache
