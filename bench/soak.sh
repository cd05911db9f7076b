#!/usr/bin/env bash
# `just soak`: SOAK_SECONDS (default 300) at SOAK_CONNECTIONS (default 256) against the
# bench server (hello) and then the guestbook (bench/soak.lua: its page, its JSON API,
# writes to SQLite), with the server's RSS read every 5 s. Each passes when wrk saw no error
# (no non-2xx/3xx status, no socket error) and the RSS at the end is within 10 % of the RSS
# after the first minute: memory that keeps growing under a steady load is a leak.
# Results: target/soak/STAMP/ (wrk logs, rss.tsv per server, summary.txt).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
ensure_pkgs wrk:wrk curl:curl

SECONDS_TOTAL=${SOAK_SECONDS:-300}
CONNECTIONS=${SOAK_CONNECTIONS:-256}
PORT=${BENCH_PORT:-8071}
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
DIR=$OUT/../soak/$STAMP
mkdir -p "$DIR"
BASELINE_AT=$(( SECONDS_TOTAL < 120 ? SECONDS_TOTAL / 5 : 60 ))

echo "soak: cargo build --release --locked -p example-bench-server -p example-guestbook" >&2
(cd "$ROOT" && cargo build --release --locked -p example-bench-server -p example-guestbook) >&2
BIN_DIR=${CARGO_TARGET_DIR:-$ROOT/target}/release
trap stop_server EXIT

rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0; }

# soak NAME LUA CMD...: one server, one wrk run, the RSS curve, one verdict line.
soak() {
  local name=$1 lua=$2
  shift 2
  # The guestbook's access log (a line per request) would fill the disk: keep the bench
  # server's log only.
  local log="$DIR/$name.server.log"
  [[ $name == guestbook ]] && log=/dev/null
  start_server "$log" "$@"
  local rss="$DIR/$name.rss.tsv"
  printf 'seconds\trss_kib\n' >"$rss"
  wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_TOTAL}s" --timeout 10s -s "$lua" "http://127.0.0.1:$PORT/" >"$DIR/$name.wrk.log" 2>&1 &
  local wrk_pid=$! t=0
  while kill -0 "$wrk_pid" 2>/dev/null; do
    printf '%d\t%d\n' "$t" "$(rss_kib "$SERVER_PID")" >>"$rss"
    sleep 5
    t=$((t + 5))
  done
  wait "$wrk_pid" || true
  printf '%d\t%d\n' "$t" "$(rss_kib "$SERVER_PID")" >>"$rss"
  stop_server
  local result baseline final verdict=pass
  result=$(grep '^RESULT' "$DIR/$name.wrk.log" || echo "RESULT 0 0 0 0 -1 -1")
  read -r _ requests duration p50 p99 http_errors socket_errors <<<"$result"
  baseline=$(awk -v at="$BASELINE_AT" 'NR > 1 && $1 >= at { print $2; exit }' "$rss")
  final=$(awk 'END { print $2 }' "$rss")
  if [[ $http_errors != 0 || $socket_errors != 0 || $requests == 0 ]]; then verdict=FAIL; fi
  if (( final * 100 > baseline * 110 )); then verdict=FAIL; fi
  printf '%s: %s requests in %ss (%s req/s), p50 %s us, p99 %s us, errors %s http %s socket; RSS %s KiB at %ss, %s KiB at the end (%+.1f %%): %s\n' \
    "$name" "$requests" "$((duration / 1000000))" "$((requests * 1000000 / (duration + 1)))" "$p50" "$p99" \
    "$http_errors" "$socket_errors" "$baseline" "$BASELINE_AT" "$final" \
    "$(awk -v a="$baseline" -v b="$final" 'BEGIN { print (b - a) * 100 / a }')" "$verdict" | tee -a "$DIR/summary.txt"
  [[ $verdict == pass ]]
}

status=0
soak bench-server "$BENCH_DIR/wrk.lua" "$BIN_DIR/example-bench-server" hello "$PORT" || status=1
db_dir=$(mktemp -d)
soak guestbook "$BENCH_DIR/soak.lua" env GUESTBOOK_DB="$db_dir/soak.db" \
  GUESTBOOK_SECRET_KEY=soak-test-key-material-32-bytes! "$BIN_DIR/example-guestbook" "127.0.0.1:$PORT" || status=1
rm -rf "$db_dir"
echo "soak: results in $DIR" >&2
exit $status
