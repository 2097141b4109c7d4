# Two commands for a newcomer: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
STAMP := $(VENV)/.installed

.PHONY: install run test lint bench catalog clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

# Links in mails and calendar feeds start here (set REIS_BASE_URL to override).
run: export REIS_BASE_URL ?= http://127.0.0.1:$(PORT)
run: install
	$(BIN)/reis db upgrade
	$(BIN)/reis demo
	$(BIN)/reis serve-all --host 127.0.0.1 --port $(PORT) --demo-accounts

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# ruff, then mypy (its settings, and the folders it checks, are in pyproject.toml).
lint: install
	$(BIN)/ruff check .
	$(BIN)/mypy

# After adding or changing a string a person reads: regenerate the template, update every
# language's catalogue (new messages come in untranslated), translate them, then run this again
# to compile. tests/integration/test_web_translations.py fails on any untranslated message.
catalog: install
	$(BIN)/pybabel extract -F app/translations/babel.cfg -k _l -k lazy_gettext --no-location \
		--sort-output -w 100 --ignore-dirs "mail public" -o app/translations/messages.pot app/web app/templates forms
	$(BIN)/pybabel update -i app/translations/messages.pot -d app/translations -w 100
	$(BIN)/pybabel compile -d app/translations

bench: install
	$(BIN)/python bench/gate.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) instance .pytest_cache
