#!/usr/bin/env bash
# Gets the programs of the end-to-end stack (npm run stack:install):
#   - the OpenTelemetry Collector, built with the collector builder (ocb)
#     from stack/collector-builder.yaml,
#   - Jaeger v2 (cmd/jaeger), built from its Go module,
#   - the Jaeger UI it serves (built from source, or release assets),
#   - prometheus and promtool from Debian's `prometheus` package.
# Idempotent: Go binaries are cached outside the repo, keyed by version,
#   ${VNAI_STACK_CACHE:-$HOME/.cache/vietnamese-ai-otel}/bin/<component>-<version>/
# and a binary that already exists is not built again.
# Needs Go (>= 1.26, default /usr/local/go) and the Go module proxy; the UI
# needs the npm registry and the repository's node_modules (Node 24), or
# GitHub (release assets) when no source tarball is at hand. Prometheus comes
# from apt (root or sudo) unless already installed.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=versions.env
source "$REPO/stack/versions.env"

export PATH="/usr/local/go/bin:$PATH"
CACHE="${VNAI_STACK_CACHE:-$HOME/.cache/vietnamese-ai-otel}"
BIN="$CACHE/bin"
MANIFEST="$REPO/stack/collector-builder.yaml"
# The cache is outside any git work tree: no VCS stamping.
export GOFLAGS="${GOFLAGS:--buildvcs=false}"

die() { echo "stack:install: ERROR: $*" >&2; exit 1; }
log() { echo "stack:install: $*"; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f s", b - a }'; }

T0="$(now)"
mkdir -p "$BIN" || die "cannot create the cache dir $BIN"

# One install at a time per cache (two parallel CI jobs on one machine).
if command -v flock >/dev/null 2>&1; then
  exec 9>"$CACHE/.install.lock"
  flock 9
fi

need_go() {
  command -v go >/dev/null 2>&1 || die "Go not found (looked in /usr/local/go/bin and PATH). Install Go >= 1.26."
  local v
  v="$(go env GOVERSION)"
  case "$v" in
    go1.2[6-9]* | go1.[3-9][0-9]* | go[2-9]*) ;;
    *) die "Go >= 1.26 is needed, found $v" ;;
  esac
}

# Runs a build step with its output in a log; on failure shows the log tail.
run_logged() {
  local logf="$1"; shift
  if ! "$@" >>"$logf" 2>&1; then
    echo "----- last lines of $logf -----" >&2
    tail -n 30 "$logf" >&2
    return 1
  fi
}

# ---------------------------------------------------------------- collector
# The version key: the builder version plus a hash of the manifest, so an
# edited manifest gives a new binary.
MANIFEST_HASH="$(sha256sum "$MANIFEST" | cut -c1-12)"
OTELCOL_DIR="$BIN/otelcol-vnai-${OTELCOL_BUILDER_VERSION}-${MANIFEST_HASH}"
OTELCOL="$OTELCOL_DIR/otelcol-vnai"

build_collector() {
  need_go
  local t work builder_dir builder
  t="$(now)"
  builder_dir="$BIN/builder-${OTELCOL_BUILDER_VERSION}"
  builder="$builder_dir/builder"
  work="$(mktemp -d "$CACHE/build-otelcol.XXXXXX")"
  local logf="$work/build.log"
  if [[ ! -x "$builder" ]]; then
    log "collector: go install go.opentelemetry.io/collector/cmd/builder@${OTELCOL_BUILDER_VERSION}"
    mkdir -p "$builder_dir"
    GOBIN="$builder_dir" run_logged "$logf" go install "go.opentelemetry.io/collector/cmd/builder@${OTELCOL_BUILDER_VERSION}" \
      || die "collector: installing the builder failed (log: $logf)"
  fi
  # Generate the sources only: the builder's own `go mod tidy` fails because
  # the TEST deps of contrib's fileexporter include a module version the proxy
  # refuses (otlpencodingextension@v0.165.0, 403). `go mod tidy -e` below
  # tolerates that; tests are never built.
  sed "s#^\([[:space:]]*output_path:\).*#\1 $work/src#" "$MANIFEST" >"$work/manifest.yaml"
  log "collector: generating sources with the builder"
  run_logged "$logf" "$builder" --config "$work/manifest.yaml" --skip-compilation --skip-get-modules \
    || die "collector: the builder failed (log: $logf)"
  {
    echo "module vnai-otelcol"
    echo
    echo "go 1.26"
    echo
    echo "require ("
    # "  - gomod: <module> <version>" lines of the manifest.
    sed -n 's/^[[:space:]]*-[[:space:]]*gomod:[[:space:]]*\([^[:space:]]*\)[[:space:]]\{1,\}\([^[:space:]#]*\).*/\t\1 \2/p' "$MANIFEST"
    echo ")"
  } >"$work/src/go.mod"
  grep -q gomod "$MANIFEST" || die "collector: no gomod entries in $MANIFEST"
  log "collector: go mod tidy -e && go build (log: $logf)"
  (
    cd "$work/src" &&
      run_logged "$logf" go mod tidy -e &&
      CGO_ENABLED=0 run_logged "$logf" go build -trimpath -ldflags="-s -w" -o "$work/otelcol-vnai" .
  ) || die "collector: build failed (log: $logf)"
  "$work/otelcol-vnai" components >/dev/null 2>&1 || die "collector: the built binary does not run"
  mkdir -p "$OTELCOL_DIR"
  mv "$work/otelcol-vnai" "$OTELCOL"
  rm -rf "$work"
  log "collector: built $OTELCOL in $(since "$t")"
}

# ---------------------------------------------------------------- jaeger
JAEGER_DIR="$BIN/jaeger-${JAEGER_MODULE_VERSION}"
JAEGER="$JAEGER_DIR/jaeger"

build_jaeger() {
  need_go
  local t work
  t="$(now)"
  work="$(mktemp -d "$CACHE/build-jaeger.XXXXXX")"
  local logf="$work/build.log"
  # `go install .../cmd/jaeger@v` refuses jaeger's go.mod (it has a replace
  # directive) and the proxy serves no commit pseudo-versions here, so build
  # it from a wrapper module that repeats the replace.
  cat >"$work/go.mod" <<EOF
module vnai/jaegerbuild

go 1.26

require github.com/jaegertracing/jaeger ${JAEGER_MODULE_VERSION}

replace github.com/Shopify/sarama => github.com/Shopify/sarama ${JAEGER_SARAMA_REPLACE}
EOF
  cat >"$work/tools.go" <<'EOF'
//go:build tools

package tools

import _ "github.com/jaegertracing/jaeger/cmd/jaeger"
EOF
  log "jaeger: go mod tidy && go build github.com/jaegertracing/jaeger/cmd/jaeger@${JAEGER_MODULE_VERSION} (Jaeger ${JAEGER_RELEASE}; log: $logf)"
  (
    cd "$work" &&
      run_logged "$logf" go mod tidy &&
      CGO_ENABLED=0 run_logged "$logf" go build -trimpath -ldflags="-s -w" -o "$work/jaeger" github.com/jaegertracing/jaeger/cmd/jaeger
  ) || die "jaeger: build failed (log: $logf)"
  "$work/jaeger" --help >/dev/null 2>&1 || die "jaeger: the built binary does not run"
  mkdir -p "$JAEGER_DIR"
  mv "$work/jaeger" "$JAEGER"
  rm -rf "$work"
  log "jaeger: built $JAEGER in $(since "$t")"
}

# ---------------------------------------------------------------- jaeger ui
# A Jaeger built from Go source serves only a placeholder page; the real UI is
# a separate build (jaeger-ui), served through jaeger_query's ui.assets_path.
# Sources, first found wins:
#   1. VNAI_JAEGER_UI: a built assets folder, or a tarball of built assets
#      (the release's assets.tar.gz) or of the UI source;
#   2. the source tarball ../shared/vendor/jaeger-ui-<version>-src.tar.gz;
#   3. the release's assets.tar.gz from GitHub (needs the internet).
# A source build needs Node 24: the repository's own `node` devDependency.
JAEGER_UI_DIR="$BIN/jaeger-ui-${JAEGER_UI_VERSION}"
JAEGER_UI_VENDOR="$(cd "$REPO/.." && pwd)/shared/vendor/jaeger-ui-${JAEGER_UI_VERSION#v}-src.tar.gz"
JAEGER_UI_RELEASE_URL="https://github.com/jaegertracing/jaeger-ui/releases/download/${JAEGER_UI_VERSION}/assets.tar.gz"

# The folder that holds built assets (index.html next to static/): $1 itself,
# or its build/ (a built source tree: packages/jaeger-ui/build), one level down too.
find_ui_assets() {
  local d
  for d in "$1" "$1"/* "$1/build" "$1"/*/build "$1/packages/jaeger-ui/build" "$1"/*/packages/jaeger-ui/build; do
    if [[ -f "$d/index.html" && -d "$d/static" ]]; then
      echo "$d"
      return 0
    fi
  done
  return 1
}

# Builds the UI from an unpacked source tree $1 (npm ci + build of packages/jaeger-ui).
build_ui_source() {
  local src="$1" logf="$2" node_dir
  node_dir="$(mktemp -d "$CACHE/node24.XXXXXX")"
  [[ -x "$REPO/node_modules/.bin/node" ]] \
    || die "jaeger-ui: building from source needs Node 24 from the repository's \`node\` devDependency; run npm ci first"
  # Only `node` on the PATH is swapped: npm and the UI's build scripts run on Node 24.
  ln -s "$(readlink -f "$REPO/node_modules/.bin/node")" "$node_dir/node"
  log "jaeger-ui: npm ci in the UI source (Node $("$node_dir/node" --version); a few minutes cold; log: $logf)"
  (
    cd "$src" &&
      PATH="$node_dir:$PATH" HUSKY=0 run_logged "$logf" npm ci --no-audit --no-fund &&
      cd packages/jaeger-ui &&
      log "jaeger-ui: npm run build" &&
      PATH="$node_dir:$PATH" run_logged "$logf" npm run build
  ) || die "jaeger-ui: building from source failed (log: $logf)"
  rm -rf "$node_dir"
}

# Unpacks tarball $1 into $2; built assets are used as they are, a source tree is built.
ui_from_tarball() {
  local tarball="$1" work="$2" logf="$3"
  mkdir -p "$work/x"
  tar xzf "$tarball" -C "$work/x" || die "jaeger-ui: cannot unpack $tarball"
  if [[ -z "$(find_ui_assets "$work/x")" ]]; then
    local pkg
    pkg="$(find "$work/x" -maxdepth 4 -path '*/packages/jaeger-ui/package.json' -print | head -n1)"
    [[ -n "$pkg" ]] || die "jaeger-ui: $tarball holds neither built assets (index.html + static/) nor the jaeger-ui source"
    build_ui_source "$(dirname "$(dirname "$(dirname "$pkg")")")" "$logf"
  fi
}

install_jaeger_ui() {
  local t work assets
  t="$(now)"
  work="$(mktemp -d "$CACHE/build-jaeger-ui.XXXXXX")"
  # The unpacked source and node_modules (about 1 GB) go whatever happens; the log stays.
  UI_WORK="$work"
  trap 'rm -rf "${UI_WORK:-}"' EXIT
  local logf="$CACHE/build-jaeger-ui.log"
  : >"$logf"
  if [[ -n "${VNAI_JAEGER_UI:-}" ]]; then
    log "jaeger-ui: from VNAI_JAEGER_UI=$VNAI_JAEGER_UI"
    if [[ -d "$VNAI_JAEGER_UI" ]]; then
      assets="$(find_ui_assets "$VNAI_JAEGER_UI")" \
        || die "jaeger-ui: VNAI_JAEGER_UI=$VNAI_JAEGER_UI has no built assets (index.html next to static/)"
      mkdir -p "$work/x" && cp -a "$assets/." "$work/x/"
    elif [[ -f "$VNAI_JAEGER_UI" ]]; then
      ui_from_tarball "$VNAI_JAEGER_UI" "$work" "$logf"
    else
      die "jaeger-ui: VNAI_JAEGER_UI=$VNAI_JAEGER_UI is neither a folder nor a file"
    fi
  elif [[ -f "$JAEGER_UI_VENDOR" ]]; then
    log "jaeger-ui: from the source tarball $JAEGER_UI_VENDOR"
    echo "$JAEGER_UI_SRC_SHA256  $JAEGER_UI_VENDOR" | sha256sum -c --quiet - \
      || die "jaeger-ui: $JAEGER_UI_VENDOR does not match its sha256 $JAEGER_UI_SRC_SHA256"
    ui_from_tarball "$JAEGER_UI_VENDOR" "$work" "$logf"
  else
    log "jaeger-ui: downloading $JAEGER_UI_RELEASE_URL"
    curl -fsSL --connect-timeout 15 --max-time 600 -o "$work/assets.tar.gz" "$JAEGER_UI_RELEASE_URL" \
      || die "jaeger-ui: cannot download $JAEGER_UI_RELEASE_URL (no internet?). Set VNAI_JAEGER_UI to a built assets folder, that assets.tar.gz, or a jaeger-ui ${JAEGER_UI_VERSION} source tarball, or put the source tarball at $JAEGER_UI_VENDOR"
    ui_from_tarball "$work/assets.tar.gz" "$work" "$logf"
  fi
  assets="$(find_ui_assets "$work/x")" || die "jaeger-ui: no built assets (index.html next to static/) after the build (log: $logf)"
  rm -rf "$JAEGER_UI_DIR.tmp" && cp -a "$assets" "$JAEGER_UI_DIR.tmp" && mv "$JAEGER_UI_DIR.tmp" "$JAEGER_UI_DIR"
  rm -rf "$work"
  UI_WORK=""
  log "jaeger-ui: installed $JAEGER_UI_DIR in $(since "$t")"
}

# ---------------------------------------------------------------- prometheus
install_prometheus() {
  local t sudo=""
  t="$(now)"
  if [[ "$(id -u)" != 0 ]]; then
    command -v sudo >/dev/null 2>&1 || die "prometheus: not installed, and installing it needs root (or sudo): apt-get install -y --no-install-recommends prometheus"
    sudo="sudo"
  fi
  command -v apt-get >/dev/null 2>&1 || die "prometheus: /usr/bin/prometheus or /usr/bin/promtool missing and apt-get not found; install Prometheus 2.x/3.x so both are in /usr/bin"
  log "prometheus: apt-get install prometheus (Debian package; its system service is not used)"
  $sudo apt-get update -qq || die "prometheus: apt-get update failed"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends prometheus >/dev/null \
    || die "prometheus: apt-get install failed"
  [[ -x /usr/bin/prometheus && -x /usr/bin/promtool ]] || die "prometheus: installed but /usr/bin/prometheus or /usr/bin/promtool is missing"
  log "prometheus: installed in $(since "$t")"
}

if [[ -x "$OTELCOL" ]]; then
  log "collector: cached $OTELCOL"
else
  build_collector
fi

if [[ -x "$JAEGER" ]]; then
  log "jaeger: cached $JAEGER"
else
  build_jaeger
fi

if [[ -f "$JAEGER_UI_DIR/index.html" ]]; then
  log "jaeger-ui: cached $JAEGER_UI_DIR"
else
  install_jaeger_ui
fi

if [[ -x /usr/bin/prometheus && -x /usr/bin/promtool ]]; then
  log "prometheus: present ($(/usr/bin/prometheus --version 2>&1 | head -n1))"
else
  install_prometheus
fi

"$OTELCOL" validate --config "$REPO/otel-collector.yaml" >/dev/null 2>&1 \
  || die "collector: $REPO/otel-collector.yaml does not validate; run: $OTELCOL validate --config $REPO/otel-collector.yaml"

log "done in $(since "$T0")"
log "  OTELCOL_BIN=$OTELCOL"
log "  JAEGER_BIN=$JAEGER"
log "  JAEGER_UI_ASSETS=$JAEGER_UI_DIR"
log "  PROMETHEUS_BIN=/usr/bin/prometheus PROMTOOL_BIN=/usr/bin/promtool"
