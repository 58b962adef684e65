# fieldkiosk: the front door. `make run` and `make test` are all a new machine needs.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT := DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get
CHROMIUM := /usr/bin/chromium

.PHONY: run test bench lint translations previews check-forms clean

## run: install, enroll a demo kiosk, start central on :8100 and the kiosk on :8000 (data in ./var)
run: $(VENV)/.installed translations-compiled
	bash deploy/demo.sh

## test: install test needs (Debian's chromium included) and run the whole suite
test: $(VENV)/.installed-test translations-compiled $(CHROMIUM) /usr/bin/espeak-ng /usr/sbin/sshd \
		/usr/bin/zbarimg
	$(BIN)/pytest

## bench: print the performance figures (see README)
bench: $(VENV)/.installed-test translations-compiled /usr/bin/wrk /usr/bin/npm
	$(BIN)/python -m tests.bench

## lint: ruff and mypy; shellcheck, systemd-analyze and friends over deploy/ (deploy/lint.sh)
lint: $(VENV)/.installed-test /usr/bin/shellcheck /usr/bin/systemd-analyze
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	bash deploy/lint.sh

## translations: extract messages, update every catalogue, compile
translations: $(VENV)/.installed
	$(BIN)/pybabel extract -F locales/babel.cfg -o locales/messages.pot --no-location --omit-header forms hardware kiosk locales sync
	$(BIN)/pybabel update -i locales/messages.pot -d locales --no-fuzzy-matching --ignore-obsolete --ignore-pot-creation-date
	$(MAKE) translations-compiled

translations-compiled: $(VENV)/.installed
	$(BIN)/pybabel -q compile -d locales

## previews: French and Arabic receipts from the simulated printer, as PNG, in var/previews
previews: $(VENV)/.installed
	$(BIN)/python -m hardware.printer.preview var/previews

check-forms: $(VENV)/.installed
	$(BIN)/fieldkiosk forms check

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV) || { $(APT) update && $(APT) install -y python3-venv && $(PYTHON) -m venv $(VENV); }
	$(BIN)/pip install --quiet --disable-pip-version-check -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@

$(CHROMIUM):
	$(APT) update
	$(APT) install -y --no-install-recommends chromium fonts-noto-core fonts-dejavu-core libfribidi0

/usr/bin/espeak-ng:
	$(APT) update
	$(APT) install -y --no-install-recommends espeak-ng fonts-noto-core fonts-dejavu-core libfribidi0

/usr/sbin/sshd:
	$(APT) update
	$(APT) install -y --no-install-recommends openssh-server

# reads back the QR code of a kiosk's enrollment code (tests/sync/central/test_fleet_pages.py)
/usr/bin/zbarimg:
	$(APT) update
	$(APT) install -y --no-install-recommends zbar-tools

/usr/bin/wrk:
	$(APT) update
	$(APT) install -y --no-install-recommends wrk

/usr/bin/npm:
	$(APT) update
	$(APT) install -y --no-install-recommends nodejs npm

/usr/bin/shellcheck:
	$(APT) update
	$(APT) install -y --no-install-recommends shellcheck

/usr/bin/systemd-analyze:
	$(APT) update
	$(APT) install -y --no-install-recommends systemd

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
