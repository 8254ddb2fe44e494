#!/usr/bin/env bash
# Installs every Debian package the build, the tests, the fuzzers, the
# benchmarks and the Debian package (man-db and zsh check the man page and
# completions; dpkg-dev and file let CPack find the runtime dependencies) need,
# on a fresh Debian 12 machine. Used by the README and .ci/run.
set -euo pipefail
packages=(
  cmake ninja-build ccache g++ clang clang-format clang-tidy libclang-rt-14-dev pkg-config
  libxml2-dev libxml2-utils libpugixml-dev libboost-program-options-dev
  libarchive-dev zlib1g-dev libxxhash-dev libsqlite3-dev nlohmann-json3-dev
  libcurl4-openssl-dev libssl-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  nodejs npm python3 python3-icalendar
  chromium libpng-dev poppler-utils
  gpsbabel time
  slurmctld slurmd slurm-client munge
  man-db zsh dpkg-dev file
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# nodejs/npm may come from outside Debian's packages on some machines: accept a working node.
if command -v node >/dev/null && command -v npm >/dev/null; then
  filtered=()
  for p in "${missing[@]}"; do [[ $p == nodejs || $p == npm ]] || filtered+=("$p"); done
  missing=("${filtered[@]}")
fi
if ((${#missing[@]})); then
  sudo=""; [[ $(id -u) == 0 ]] || sudo="sudo"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
