# One command to set up and run, one to test. Works offline once PyPI is reachable for the install.
PY ?= python3
VENV ?= .venv
CORPUS ?= corpus
QUESTION ?= Quelle branche publie le plus d'offres d'emploi cadre liées à l'IA dans l'industrie ?

.PHONY: setup browser netcut demo app test test-unit test-fast bench evaluate workshop-bench serve load clean

$(VENV)/.installed: pyproject.toml
	$(PY) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[models,dev,server]'
	touch $@

setup: $(VENV)/.installed

CHROMIUM ?= /usr/bin/chromium
browser:  ## Debian's chromium for the browser tests (installed only when missing)
	@test -x $(CHROMIUM) || { \
		SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq -o DPkg::Lock::Timeout=600 chromium; }

netcut:  ## strace, unshare and ip for the offline proof (installed only when missing)
	@missing=""; \
	command -v strace >/dev/null || missing="$$missing strace"; \
	command -v unshare >/dev/null || missing="$$missing util-linux"; \
	command -v ip >/dev/null || missing="$$missing iproute2"; \
	[ -z "$$missing" ] || { \
		SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq -o DPkg::Lock::Timeout=600 $$missing; }

demo: setup  ## index CORPUS, then ask QUESTION
	$(VENV)/bin/assistant index --corpus $(CORPUS)
	$(VENV)/bin/assistant ask "$(QUESTION)"

app: setup  ## the web app on http://127.0.0.1:7860 (settings: settings.yaml)
	$(VENV)/bin/python app.py

$(VENV)/.installed-st: $(VENV)/.installed  # the tests also cover the sentence-transformers path
	$(VENV)/bin/pip install --quiet -e '.[models,dev,server,st]'
	touch $@

test: $(VENV)/.installed-st browser netcut  ## every test, the real-model and browser ones included
	$(VENV)/bin/python -m pytest

test-unit: setup  ## the quick lane: fakes only, no browser, subprocess or model (under a minute)
	$(VENV)/bin/python -m pytest tests/unit -q

test-fast: setup browser netcut  ## every test but those that load the real models
	$(VENV)/bin/python -m pytest -m "not models"

bench: setup  ## figures of the core issue on ../shared (indexing, accuracy, citations, latency)
	$(VENV)/bin/python -m eval.bench --corpus ../shared/corpus --questions ../shared/eval/dev.jsonl

evaluate: setup  ## dev set + project set, ours vs the llama-index baseline, reports in eval/reports
	$(VENV)/bin/python -m eval.evaluate --corpus ../shared/corpus \
		--questions ../shared/eval/dev.jsonl --questions eval/questions.jsonl

workshop-bench: setup  ## time key figures, quiz and outline for the three themes of the trainers' workspace
	$(VENV)/bin/python -m eval.workshop --corpus ../shared/corpus --out eval/reports/workshop

serve: setup  ## the model server and a Chroma server on this machine (docs/deployment.md)
	$(VENV)/bin/python -m assistant.serving up

load: setup  ## load test: 20 conversations over HTTP, 2 app workers, real servers on loopback
	$(VENV)/bin/python -m eval.load --corpus ../shared/corpus --questions ../shared/eval/dev.jsonl

clean:
	rm -rf $(VENV) index/chroma index/lexical
