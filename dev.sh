#!/usr/bin/env bash
# One entry point for people and CI. Each command sets up what it needs first (one line per step):
#   ./dev.sh app               the standalone Animagine tab on http://127.0.0.1:7870 (no WebUI needed)
#   ./dev.sh format "PROMPT"   format one prompt on the command line
#   ./dev.sh test              ruff, every test (gradio 3.41.2 and 4.40.0, headless chromium), the
#                              non-browser suite again under Python 3.10 when one is here, then the benchmarks
#   ./dev.sh screenshots       docs/screenshots/tab-{desktop,phone}-g{3,4}.png again (docs/screenshots.py, both gradios)
#   ./dev.sh test-host         the differential tier against the real hosts' prompt parsers (opt-in)
#   ./dev.sh test-realhost     tests/realhost/ against the real A1111 and reForge that shared/realhost/setup.sh
#                              builds under REALHOST_DIR (default ~/.cache/realhost), one host at a time, then
#                              what the extension adds to their start (time, memory); skips a host not set up
# PYTHON=python3.10 ./dev.sh … runs it all on another Python (default python3). Versions are declared
# once, in pyproject.toml; install.py's reader turns them into pip's requirement lines.
set -euo pipefail
cd "$(dirname "$0")"
PY=${PYTHON:-python3}
export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}"
export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_ROOT_USER_ACTION=ignore PIP_NO_WARN_SCRIPT_LOCATION=1

say() { echo "[dev.sh] $*"; }

py310() {  # a Python 3.10 (A1111's own): on PATH, else pyenv's newest 3.10
  if python3.10 -c "" 2>/dev/null; then echo python3.10; return; fi
  local root
  root=$(pyenv root 2>/dev/null) || return 0
  ls -d "$root"/versions/3.10*/bin/python3.10 2>/dev/null | sort -V | tail -n 1
}

venv() {  # venv DIR PYTHON [EXTRA...]: a venv with the runtime requirements and (at least) those extras
  local dir=$1 py=$2; shift 2
  local stamp=$dir/.installed want have="" log=$dir/.setup.log extras
  "$py" -c "" 2>/dev/null || { echo "dev.sh: no Python '$py' (set PYTHON=...)" >&2; exit 2; }
  want=$( { cat pyproject.toml install.py; "$py" -V; } 2>&1 | sha256sum | cut -c1-16)
  if [ -f "$stamp" ] && [ "$(head -n 1 "$stamp")" = "$want" ]; then
    have=$(sed -n 2p "$stamp")
    local missing=0 e
    for e in "$@"; do [[ " $have " == *" $e "* ]] || missing=1; done
    [ "$missing" = 0 ] && return 0
  fi
  extras=$(printf '%s\n' $have "$@" | sort -u | tr '\n' ' ' | sed 's/ $//')
  local started=$SECONDS
  say "setting up $dir ($("$py" -V 2>&1)${extras:+, with $extras}) ..."
  if [ "$("$dir/bin/python" -V 2>&1)" != "$("$py" -V 2>&1)" ]; then "$py" -m venv --clear "$dir"; have=""; extras="$*"; fi
  # shellcheck disable=SC2086
  "$py" install.py --requirements $extras >"$dir/requirements.txt"
  "$py" install.py --requirements no-deps >"$dir/requirements-no-deps.txt"
  if ! { "$dir/bin/python" -m pip install -q --upgrade pip &&
         "$dir/bin/python" -m pip install -q -r "$dir/requirements.txt" &&
         "$dir/bin/python" -m pip install -q --no-deps -r "$dir/requirements-no-deps.txt"; } >"$log" 2>&1; then
    tail -n 30 "$log" >&2; echo "dev.sh: setting up $dir failed (full log: $log)" >&2; exit 1
  fi
  printf '%s\n%s\n' "$want" " $extras " >"$stamp"
  say "$dir ready in $((SECONDS - started)) s"
}

ensure_chromium() {  # Debian's chromium for the browser tests: installed with apt when missing
  command -v chromium >/dev/null 2>&1 && return 0
  local sudo=""
  if [ "$(id -u)" != 0 ]; then
    if sudo -n true 2>/dev/null; then sudo="sudo -n"; else
      echo "dev.sh: the browser tests need Debian's chromium; install it (apt-get install chromium) or run as root/with sudo" >&2
      exit 2
    fi
  fi
  say "installing Debian chromium with apt ..."
  if ! { $sudo apt-get update -q && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; } \
      >/tmp/animagine-apt.log 2>&1; then
    tail -n 20 /tmp/animagine-apt.log >&2; echo "dev.sh: apt could not install chromium (log: /tmp/animagine-apt.log)" >&2; exit 1
  fi
}

case "${1:-}" in
  app)
    venv .venv "$PY" gradio3
    shift; exec .venv/bin/python -m animagine_tab "$@" ;;
  format)
    venv .venv "$PY"
    shift; exec .venv/bin/python -m animagine_prompt format "$@" ;;
  test)
    venv .venv "$PY" gradio3 dev
    venv .venv-g4 "$PY" gradio4 dev
    ensure_chromium
    .venv/bin/ruff check .
    .venv/bin/python -m pytest -q
    say "the UI tests and the host-double WebUI tests again under gradio 4.40 and pydantic 2 (Forge's line)"
    .venv-g4/bin/python -m pytest -q tests/ui tests/webui
    p310=$(py310)
    if [ "$("$PY" -c 'import sys; print(sys.version_info[:2] == (3, 10))')" = True ]; then
      say "this run was already on Python 3.10"
    elif [ -n "$p310" ]; then
      venv .venv-py310 "$p310" gradio3 dev
      say "the non-browser suite again under $("$p310" -V 2>&1) (A1111's Python)"
      .venv-py310/bin/python -m pytest -q -m "not browser"
    else
      say "no Python 3.10 here (python3.10 on PATH or pyenv): the 3.10 run is skipped"
    fi
    .venv/bin/python bench/run_all.py ;;
  screenshots)
    venv .venv "$PY" gradio3 dev
    venv .venv-g4 "$PY" gradio4 dev
    ensure_chromium
    .venv/bin/python docs/screenshots.py
    .venv-g4/bin/python docs/screenshots.py ;;
  test-host)
    # The differential tier: the real hosts' own prompt parsers (tests/hostparser). Needs a
    # ../shared/realhost set-up (REALHOST_DIR) or ANIMAGINE_HOST_A1111 / ANIMAGINE_HOST_REFORGE.
    venv .venv "$PY" gradio3 dev
    rh=${REALHOST_DIR:-$HOME/.cache/realhost}
    export ANIMAGINE_HOST_A1111=${ANIMAGINE_HOST_A1111:-$rh/a1111/stable-diffusion-webui}
    export ANIMAGINE_HOST_REFORGE=${ANIMAGINE_HOST_REFORGE:-$rh/reforge/stable-diffusion-webui-reForge}
    export ANIMAGINE_HOST_EXAMPLES=${ANIMAGINE_HOST_EXAMPLES:-20000}
    say "real-host parsers: $ANIMAGINE_HOST_EXAMPLES examples per test and host"
    shift; exec .venv/bin/python -m pytest -q -rs -W ignore::hypothesis.errors.HypothesisWarning tests/hostparser "$@" ;;
  test-realhost)
    venv .venv "$PY" gradio3 dev
    shift
    ANIMAGINE_REALHOST=1 .venv/bin/python -m pytest -q -p no:cacheprovider tests/realhost "$@"
    .venv/bin/python tests/realhost/start_cost.py ;;
  *)
    echo "usage: ./dev.sh app | format PROMPT | test | screenshots | test-host | test-realhost" >&2; exit 2 ;;
esac
