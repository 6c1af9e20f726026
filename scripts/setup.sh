#!/usr/bin/env bash
# Set up zmconsole on a Debian machine that has only python3.
#   scripts/setup.sh          system libraries for Qt + .venv with zmconsole
#   scripts/setup.sh --test   also the test referees (openssl, nginx, Xvfb, xdotool, tesseract, PostgreSQL, SoftHSM2) and the test extras
# apt-get runs through sudo unless we are root; everything Python goes into ./.venv.
set -euo pipefail
cd "$(dirname "$0")/.."

with_tests=0
[ "${1:-}" = "--test" ] && with_tests=1

sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"

packages=(
  python3-venv python3-pip
  # what Qt needs to draw, offscreen or on a desktop (xcb)
  libegl1 libgl1 libfontconfig1 fonts-dejavu-core libglib2.0-0 libdbus-1-3 libxkbcommon0 libxkbcommon-x11-0
  libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-randr0 libxcb-render-util0 libxcb-shape0
  libxcb-xinerama0 libxcb-xkb1 libx11-xcb1
)
if [ "$with_tests" -eq 1 ]; then
  packages+=(openssl nginx-light xvfb xdotool tesseract-ocr tesseract-ocr-eng)
  # validators for packaging/: systemd-analyze verify, desktop-file-validate, appstreamcli validate
  packages+=(systemd desktop-file-utils appstream)
  # a throw-away PostgreSQL server for the store tests (tests/support/postgres.py, ZM_TEST_STORE=postgres)
  packages+=(postgresql)
  # a software HSM for the CA-key-in-a-token tests (tests/support/softhsm.py) and OpenSC's pkcs11-tool
  packages+=(softhsm2 opensc)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# nginx-light starts a system nginx on install; the tests run their own on free ports.
if [ "$with_tests" -eq 1 ] && command -v systemctl >/dev/null 2>&1; then
  $sudo systemctl disable --now nginx >/dev/null 2>&1 || true
fi

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
if [ "$with_tests" -eq 1 ]; then
  .venv/bin/python -m pip install -q -e '.[test]'
else
  .venv/bin/python -m pip install -q '.[gui]'  # the console; a plain `pip install .` is the headless CLI
fi
echo "zmconsole is installed in $(pwd)/.venv"
