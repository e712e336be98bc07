# virt_uri.toolkit — developer entry points.  `make demo` and `make test` set up
# everything they need on a fresh Debian 12 machine (run as root, or with sudo).
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c

PY_VERSION ?= 3.13
VENV ?= .venv
REQUIREMENTS ?= requirements-test.txt
BIN := $(VENV)/bin
COLL_DIR := collections/ansible_collections/virt_uri/toolkit
export ANSIBLE_COLLECTIONS_PATH := $(CURDIR)/collections
export ANSIBLE_CONFIG := $(CURDIR)/ansible.cfg
PYTEST_ARGS ?=

.PHONY: help deps bindep venv collection-link unit integration live test demo clean

help:
	@echo "make demo   - render a sample fleet's drives and libvirt.conf into ./build/demo/"
	@echo "make test   - install what is missing, then run every test"
	@echo "make unit | integration | live - one suite"

bindep:
	hack/install-bindep

$(BIN)/.stamp-$(notdir $(REQUIREMENTS)): $(REQUIREMENTS)
	test -x $(BIN)/python || "$$(hack/find-python $(PY_VERSION))" -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check -r $(REQUIREMENTS)
	touch $@

venv: $(BIN)/.stamp-$(notdir $(REQUIREMENTS))

# ansible and plain pytest both find the collection through ./collections.
collection-link:
	@mkdir -p $(dir $(COLL_DIR))
	@[ -L $(COLL_DIR) ] || ln -sfn ../../.. $(COLL_DIR)

deps: bindep venv collection-link

unit: deps
	$(BIN)/python -m pytest tests/unit $(PYTEST_ARGS)

integration: deps
	$(BIN)/python -m pytest tests/integration $(PYTEST_ARGS)

live: deps
	$(BIN)/python -m pytest tests/live $(PYTEST_ARGS)

test: deps
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python -m pytest tests $(PYTEST_ARGS)

demo: deps
	PATH="$(CURDIR)/$(BIN):$$PATH" hack/demo

clean:
	rm -rf build collections .pytest_cache tests/output
