# Shared by tools/*: install what is missing, configure and build. Source it; do not run it.
set -euo pipefail

CAPLEDGER_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export CAPLEDGER_ROOT
# ccache: paths relative to the checkout, so that clones and worktrees share cached objects.
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$CAPLEDGER_ROOT}"
export CCACHE_NOHASHDIR="${CCACHE_NOHASHDIR:-1}"

# Debian 12 packages the build, the tests and the demo need (postgresql-15: the SQL peer in
# benchmarks/peer/ and its agreement test; chromium, chromium-driver and python3-selenium: the
# browser tests of the pages).
CAPLEDGER_PACKAGES=(
  build-essential cmake ninja-build ccache pkg-config
  librocksdb-dev flatbuffers-compiler libflatbuffers-dev
  libspdlog-dev libfmt-dev doctest-dev librapidcheck-dev libexpected-dev libcli11-dev
  libtomlplusplus-dev libsimdjson-dev libssl-dev
  librdkafka-dev kcat jq libbenchmark-dev
  clang libclang-rt-14-dev clang-tidy clang-format
  xxd
  postgresql-15
  libcpp-httplib-dev prometheus-cpp-dev curl wrk
  chromium chromium-driver python3-selenium
)

# Installs the packages that are not installed yet (apt-get update first, only if needed).
capledger_install_packages() {
  local missing=()
  for package in "${CAPLEDGER_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
  if ((${#missing[@]} == 0)); then
    return 0
  fi
  echo "tools: installing ${missing[*]}" >&2
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}

# capledger_build DIR [cmake args...]: configures (once) and builds into $CAPLEDGER_ROOT/DIR;
# CAPLEDGER_TARGETS, if set, names the targets to build (default: all).
capledger_build() {
  local dir="$CAPLEDGER_ROOT/$1"
  shift
  if [ ! -f "$dir/build.ninja" ]; then
    cmake -S "$CAPLEDGER_ROOT" -B "$dir" -G Ninja "$@" >&2
  fi
  # shellcheck disable=SC2086
  ninja -C "$dir" -j "${CAPLEDGER_JOBS:-2}" ${CAPLEDGER_TARGETS:-} >&2
}
