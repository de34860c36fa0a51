"""Browser tests: the built site in real Chromium (a package, so its conftest does not shadow tests/conftest.py)."""
