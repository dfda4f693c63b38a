#!/usr/bin/env bash
# One entry point for people and CI. Each command sets up what it needs first:
#   ./dev.sh app    start the standalone Animagine tab on http://127.0.0.1:7870 (no WebUI needed)
#   ./dev.sh format "PROMPT"   format one prompt on the command line
#   ./dev.sh test   ruff, every test (gradio 3.41.2 and 4.40.0, headless chromium), then the benchmarks
set -euo pipefail
cd "$(dirname "$0")"
PY=${PYTHON:-python3}

venv() {  # venv DIR UI_REQUIREMENTS
  local dir=$1 ui=$2 stamp=$1/.installed
  local want
  want=$(cat pyproject.toml requirements/*.txt | sha256sum | cut -c1-16)
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    "$PY" -m venv "$dir"
    "$dir/bin/pip" install -q --upgrade pip
    "$dir/bin/pip" install -q -r requirements/runtime.txt -r "$ui" -r requirements/dev.txt
    "$dir/bin/pip" install -q --no-deps -r requirements/tags.txt
    "$dir/bin/pip" install -q --no-deps -e .
    echo "$want" >"$stamp"
  fi
}

chromium() {
  if ! command -v chromium >/dev/null 2>&1; then
    local sudo=""
    [ "$(id -u)" = 0 ] || sudo=sudo
    $sudo apt-get update -q
    $sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium
  fi
}

case "${1:-}" in
  app)
    venv .venv requirements/ui-gradio3.txt
    shift; exec .venv/bin/python -m animagine_prompt app "$@" ;;
  format)
    venv .venv requirements/ui-gradio3.txt
    shift; exec .venv/bin/python -m animagine_prompt format "$@" ;;
  test)
    venv .venv requirements/ui-gradio3.txt
    venv .venv-g4 requirements/ui-gradio4.txt
    chromium
    .venv/bin/ruff check .
    .venv/bin/python -m pytest -q
    .venv-g4/bin/python -m pytest -q tests/ui
    .venv/bin/python bench/run_all.py ;;
  *)
    echo "usage: ./dev.sh app | format PROMPT | test" >&2; exit 2 ;;
esac
