#!/usr/bin/env bash
# Installs what the Spark job (spark/, docs/ENRICHMENT.md "Running on a cluster")
# needs, skipping what is already there: a Java runtime (Debian's
# openjdk-17-jre-headless, when `java -version` fails) and a virtual environment
# .venv-spark/ with the pinned packages of spark/requirements.txt (pyspark bundles
# Spark's jars). Idempotent: a second run checks versions and exits.
#   bash scripts/spark-setup.sh
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '[spark-setup] %s\n' "$*"; }
venv=.venv-spark
req=spark/requirements.txt

sudo_cmd=""
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then sudo_cmd="sudo"; fi
apt_install() {
  $sudo_cmd apt-get update
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y "$@"
}

if ! java -version >/dev/null 2>&1; then
  say "installing openjdk-17-jre-headless (apt)"
  apt_install openjdk-17-jre-headless
fi
java_major=$(java -version 2>&1 | awk -F'"' '/version/ { split($2, v, "."); print v[1]; exit }')
if [ "${java_major:-0}" -lt 17 ]; then
  echo "[spark-setup] Spark 4 needs Java 17 or newer (found: ${java_major:-none})" >&2
  exit 1
fi

# Every pinned name==version of the requirements file must be what the venv has.
current() {
  [ -x "$venv/bin/python" ] || return 1
  "$venv/bin/python" - "$req" <<'PY'
import sys
from importlib.metadata import version, PackageNotFoundError
ok = True
for line in open(sys.argv[1]):
    line = line.split("#", 1)[0].strip()
    if not line:
        continue
    name, want = line.split("==")
    try:
        ok &= version(name) == want
    except PackageNotFoundError:
        ok = False
sys.exit(0 if ok else 1)
PY
}

if current; then
  say "$venv is current ($(grep -v '^#' "$req" | tr '\n' ' '))"
  exit 0
fi
if [ ! -x "$venv/bin/python" ]; then
  say "creating $venv"
  if ! python3 -m venv "$venv" 2>/dev/null; then
    rm -rf "$venv"
    say "installing python3-venv (apt)"
    apt_install python3-venv
    python3 -m venv "$venv"
  fi
fi
say "installing $(grep -v '^#' "$req" | tr '\n' ' ')into $venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$req"
current
say "done: $("$venv/bin/python" -c 'import pyspark; print("pyspark", pyspark.__version__)')"
