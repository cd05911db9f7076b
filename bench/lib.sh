# shellcheck shell=bash
# Helpers shared by run.sh and instr.sh (sourced, not run). Paths come from this file's
# own location; nothing here depends on the current directory.

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
OUT=$ROOT/target/bench
PEERS_TARGET=$OUT/peers
MF_BIN=${CARGO_TARGET_DIR:-$ROOT/target}/release/example-bench-server
WSGI_BIN=${CARGO_TARGET_DIR:-$ROOT/target}/release/microframe-wsgi
ALL_TARGETS="microframe microframe-wsgi axum hyper actix"

die() { echo "bench: $*" >&2; exit 1; }

# ensure_pkgs CMD:PACKAGE...: apt-get install the packages whose command is missing;
# `apt-get update` runs only when something is missing.
ensure_pkgs() {
  local pair missing=()
  for pair in "$@"; do
    command -v "${pair%%:*}" >/dev/null 2>&1 || missing+=("${pair#*:}")
  done
  ((${#missing[@]} == 0)) && return 0
  local sudo=()
  [[ $(id -u) == 0 ]] || sudo=(sudo)
  echo "bench: installing ${missing[*]}" >&2
  "${sudo[@]}" apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
}

bin_of() { # TARGET -> server binary
  case $1 in
    microframe) echo "$MF_BIN" ;;
    microframe-wsgi) echo "$WSGI_BIN" ;;
    hyper | axum | actix) echo "$PEERS_TARGET/release/$1-peer" ;;
    *) die "unknown target '$1' (known: $ALL_TARGETS)" ;;
  esac
}

# server_cmd TARGET SCENARIO PORT: sets SERVER_CMD to the command line of that server and
# SERVER_ENV to the arguments of `env` it runs under (callers: env "${SERVER_ENV[@]}" ...).
# microframe-wsgi serves bench/wsgi/wsgi_apps.py (standard library only: no virtualenv).
server_cmd() {
  case $1 in
    microframe-wsgi)
      SERVER_ENV=(-u VIRTUAL_ENV PYTHONPATH="$BENCH_DIR/wsgi")
      SERVER_CMD=("$WSGI_BIN" --no-access-log "wsgi_apps:$2" "127.0.0.1:$3") ;;
    *)
      SERVER_ENV=()
      SERVER_CMD=("$(bin_of "$1")" "$2" "$3") ;;
  esac
}

# build TARGET...: release builds, locked; the peers only when one of them is asked for.
build() {
  local t peers="" wsgi=""
  for t in "$@"; do
    bin_of "$t" >/dev/null
    case $t in
      microframe) ;;
      microframe-wsgi) wsgi=1 ;;
      *) peers=1 ;;
    esac
  done
  echo "bench: cargo build --release --locked -p example-bench-server" >&2
  (cd "$ROOT" && cargo build --release --locked -p example-bench-server) >&2
  if [[ -n $wsgi ]]; then
    echo "bench: cargo build --release --locked -p gateway-python --bin microframe-wsgi" >&2
    (cd "$ROOT" && cargo build --release --locked -p gateway-python --bin microframe-wsgi) >&2
  fi
  if [[ -n $peers ]]; then
    echo "bench: building the peers (bench/peers) into target/bench/peers" >&2
    cargo build --release --locked --manifest-path "$BENCH_DIR/peers/Cargo.toml" \
      --target-dir "$PEERS_TARGET" >&2
  fi
}

port_busy() { curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$1/"; }

SERVER_PID=""
# start_server LOG CMD...: starts CMD in the background (SERVER_PID), waits until
# 127.0.0.1:$PORT answers (at most WAIT_SECS, default 20 s); fails if it never does.
start_server() {
  local log=$1 i
  shift
  port_busy "$PORT" && die "127.0.0.1:$PORT already answers; set BENCH_PORT"
  "$@" >"$log" 2>&1 &
  SERVER_PID=$!
  for ((i = 0; i < ${WAIT_SECS:-20} * 10; i++)); do
    port_busy "$PORT" && return 0
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.1
  done
  echo "bench: '$*' did not answer on 127.0.0.1:$PORT; its log ($log):" >&2
  tail -n 20 "$log" >&2
  stop_server
  return 1
}

# stop_server: SIGTERM to SERVER_PID, up to STOP_GRACE seconds (default 5) for it to
# exit, then SIGKILL.
stop_server() {
  local i grace=${STOP_GRACE:-5}
  [[ -n $SERVER_PID ]] || return 0
  kill -TERM "$SERVER_PID" 2>/dev/null || true
  for ((i = 0; i < grace * 10; i++)); do
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
}

# The request of each scenario, as curl arguments after the URL's path.
scenario_path() {
  case $1 in
    hello | post) echo "/" ;;
    query) echo "/?age=10&hobbies=software&hobbies=tunning" ;;
    *) die "unknown scenario '$1' (known: hello query post)" ;;
  esac
}
POST_BODY='age=10&hobbies=a&hobbies=b'
POST_TYPE='application/x-www-form-urlencoded'

# fetch SCENARIO PREFIX: one request to 127.0.0.1:$PORT; PREFIX.meta gets
# "STATUS<TAB>CONTENT-TYPE", PREFIX.body the body bytes.
fetch() {
  local args=(-s --max-time 5 -o "$2.body" -w '%{http_code}\t%{content_type}\n')
  [[ $1 == post ]] && args+=(-H "Content-Type: $POST_TYPE" --data-binary "$POST_BODY")
  curl "${args[@]}" "http://127.0.0.1:$PORT$(scenario_path "$1")" >"$2.meta"
}
