#!/usr/bin/env bash
# One entry point for set-up and the main tasks, on a fresh Debian machine with Python 3.11.
#   ./dev.sh serve    set up, generate, and serve at http://127.0.0.1:8000/reading-list/ (live reload)
#   ./dev.sh site     set up, generate, and build the static site into site/
#   ./dev.sh zensical set up, generate, and build the same site with Zensical into site-zensical/
#   ./dev.sh test     set up (Python and Debian packages) and run every test
#   ./dev.sh goldens  refresh the golden files of the end-to-end test (review the diff!)
set -euo pipefail
cd "$(dirname "$0")"

VENV=${VENV:-.venv}
PYTHON=${PYTHON:-python3}
APT_TEST_PACKAGES="chromium texlive-binaries texlive-base texlive-latex-base fonts-dejavu-core pandoc biber default-jre-headless"
# axe-core (accessibility, injected into Chromium) and the Nu HTML Checker (vnu.jar, run by Java).
NODE_TEST_PACKAGES="axe-core@4.14.1 vnu-jar@26.9.27"

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

apt_install() {
  local missing=()
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "Installing Debian packages: ${missing[*]}"
    as_root apt-get update
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
  fi
}

setup_node() {
  command -v npm >/dev/null || apt_install npm
  if [ "$(cat .node/installed 2>/dev/null)" != "$NODE_TEST_PACKAGES" ]; then
    mkdir -p .node
    npm install --prefix .node --no-audit --no-fund --loglevel=error $NODE_TEST_PACKAGES
    echo "$NODE_TEST_PACKAGES" > .node/installed
  fi
}

setup_python() {
  local extras=$1
  if [ ! -x "$VENV/bin/python" ]; then
    "$PYTHON" -m venv "$VENV" 2>/dev/null || { apt_install python3-venv; rm -rf "$VENV"; "$PYTHON" -m venv "$VENV"; }
  fi
  "$VENV/bin/python" -m pip install --quiet --upgrade pip
  "$VENV/bin/python" -m pip install --quiet -c constraints.txt -e ".$extras"
}

case "${1:-}" in
  serve)
    setup_python ""
    "$VENV/bin/python" -m generator build
    # --dirty: rebuild only the pages an edit changed (the hook keeps search and listings whole)
    exec "$VENV/bin/mkdocs" serve --dirty --dev-addr 127.0.0.1:8000
    ;;
  site)
    setup_python ""
    "$VENV/bin/python" -m generator build --strict
    "$VENV/bin/mkdocs" build --strict
    ;;
  zensical)
    # Zensical runs no MkDocs hooks: generate first. (Zensical's own search replaces Pagefind.)
    setup_python "[test]"
    "$VENV/bin/python" -m generator build --strict
    "$VENV/bin/zensical" build -f zensical.yml --clean --strict
    ;;
  test)
    apt_install $APT_TEST_PACKAGES
    setup_node
    setup_python "[test]"
    "$VENV/bin/ruff" check .
    "$VENV/bin/mypy"
    "$VENV/bin/python" -m pytest "${@:2}"
    ;;
  goldens)
    setup_python "[test]"
    "$VENV/bin/python" -m pytest tests/test_golden.py --update-goldens
    git status --short tests/golden
    ;;
  *)
    sed -n '2,7p' "$0"
    exit 2
    ;;
esac
