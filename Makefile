# The two set-up-included commands: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: install demo test eval bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q -U pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	rm -f demo.db demo.db-wal demo.db-shm
	$(BIN)/bantin --db demo.db ingest samples/
	$(BIN)/bantin --db demo.db stats
	$(BIN)/bantin --db demo.db search "thuy si"
	$(BIN)/bantin --db demo.db search "giá vàng" --limit 3
	$(BIN)/bantin --db demo.db search "hoa giai" --since 2024-01-01
	$(BIN)/bantin --db demo.db stories --min-size 2
	$(BIN)/bantin --db demo.db entities --limit 8
	@echo
	@echo "Browse it (web page, Atom feeds, REST API at /api/docs):  $(BIN)/bantin serve --db demo.db"

test: $(STAMP)
	$(BIN)/python -m pytest

eval: $(STAMP)
	$(BIN)/python -m pytest -m eval -o addopts="-q --import-mode=importlib"

clean:
	rm -rf $(VENV) demo.db demo.db-wal demo.db-shm
