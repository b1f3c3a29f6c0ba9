# Shortcuts for the two commands in README.md.
.PHONY: run test ci clean
run:
	./scripts/run
test:
	./scripts/test
ci:
	bash .ci/run
clean:
	rm -rf .venv db.sqlite3 staticfiles
