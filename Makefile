# Two commands a newcomer needs: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint install clean

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
	@echo "Outputs written to out/: graph.ttl (Turtle), graph.jsonld (JSON-LD), graph.html (explorer), store/ (Oxigraph)."
	@echo "Open out/graph.html in a browser, or try: $(BIN)/confkg query \"SELECT ?s WHERE { ?s a <https://w3id.org/confkg/ns#Person> } LIMIT 5\""

test: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests bench

clean:
	rm -rf out .pytest_cache
