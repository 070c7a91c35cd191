#!/usr/bin/env bash
# Sets up everything Strapline needs on this machine, then runs one job.
#   bash packaging/setup.sh demo     set up, then open the demo show (`strapline demo`)
#   bash packaging/setup.sh test     set up, then run the whole test suite and the checks
#   bash packaging/setup.sh env      set up only
# Installs, where it can: the Debian packages Qt needs (when run as root on Debian/Ubuntu),
# a virtual environment in .venv with the pinned Python packages.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
job="${1:-env}"; shift || true

debs=(libegl1 libgl1 libglib2.0-0 libfontconfig1 libfreetype6 libdbus-1-3 libxkbcommon0 libx11-6
      xvfb xauth libxkbcommon-x11-0 libx11-xcb1 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1
      libxcb-image0 libxcb-render-util0 libxcb-shape0 libxcb-xkb1 libxcb-randr0 libxcb-xfixes0
      libxcb-sync1 libxcb-shm0 libxcb-render0 libxcb-glx0 libxcb-util1 xdotool liblo-tools
      binutils)
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    missing=()
    for p in "${debs[@]}"; do
        dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
    done
    if [ "${#missing[@]}" -gt 0 ]; then
        echo "setup: installing Debian packages: ${missing[*]}"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    fi
elif command -v apt-get >/dev/null 2>&1; then
    echo "setup: not root, so Debian packages are not installed; if Qt fails to start, run:"
    echo "  sudo apt-get install --no-install-recommends ${debs[*]}"
fi

py="${PYTHON:-}"
if [ -z "$py" ]; then
    for c in python3.11 python3.12 python3.13 python3; do
        if command -v "$c" >/dev/null 2>&1; then py="$c"; break; fi
    done
fi
if [ ! -x .venv/bin/python ]; then
    echo "setup: creating .venv with $py"
    "$py" -m venv .venv
fi
stamp=.venv/.strapline-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    .venv/bin/python -m pip install -q --upgrade pip
    .venv/bin/python -m pip install -q -e ".[dev]"
    # NDI output (optional): its tests skip, saying why, where cyndilib cannot be installed
    .venv/bin/python -m pip install -q -e ".[dev,ndi]" \
        || echo "setup: NDI support (cyndilib) could not be installed; NDI output is off here"
    touch "$stamp"
fi
export PATH="$here/.venv/bin:$PATH"

case "$job" in
    env) echo "setup: ready. Activate with: source .venv/bin/activate" ;;
    demo) exec strapline demo "$@" ;;
    test) exec bash packaging/test.sh "$@" ;;
    *) exec "$job" "$@" ;;
esac
