# The few commands a contributor needs (see README).
.PHONY: install site test lint bench

install:
	python3 -m pip install -e '.[test]'

site:
	disclose build

test:
	python3 -m pytest

lint:
	ruff check generator tests
	mypy

bench:
	python3 benchmarks/bench.py
