#!/usr/bin/env bash
# bench/instr.sh TARGET SCENARIO: instructions per request in the server process, counted by
# valgrind's callgrind (user space, all threads). The server runs under callgrind twice,
# serving N1 then N2 keep-alive requests from bench/keepalive.py; the figure is
# (Ir(N2) - Ir(N1)) / (N2 - N1), so start-up and shutdown cancel out. Repeatable within a
# few percent whatever else the machine does, unlike req/s.
# TARGET: microframe axum hyper actix; SCENARIO: hello query post.
# Env: N1 (1000), N2 (3000), BENCH_PORT (18090). Works from any directory.
# Output: one line on stdout, appended to target/bench/results/instr.tsv; the callgrind
# files stay in target/bench/results/instr-STAMP-TARGET-SCENARIO/ (callgrind_annotate).
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[[ $# == 2 ]] || die "usage: bench/instr.sh TARGET SCENARIO (TARGET: $ALL_TARGETS; SCENARIO: hello query post)"
TARGET=$1
SCENARIO=$2
N1=${N1:-1000}
N2=${N2:-3000}
PORT=${BENCH_PORT:-18090}
if ! [[ $N1 =~ ^[0-9]+$ && $N2 =~ ^[0-9]+$ ]] || ((N1 >= N2 || N2 > 100000)); then
  die "need numbers N1 < N2 <= 100000"
fi
[[ $PORT =~ ^[0-9]+$ ]] || die "BENCH_PORT must be a number"
scenario_path "$SCENARIO" >/dev/null
server_cmd "$TARGET" "$SCENARIO" "$PORT"

ensure_pkgs valgrind:valgrind python3:python3 curl:curl
build "$TARGET"
DIR=$OUT/results/instr-$(date +%Y%m%d-%H%M%S)-$TARGET-$SCENARIO
mkdir -p "$DIR"
STOP_GRACE=60 # valgrind writes its counts when the server exits: give it time
trap stop_server EXIT
trap 'exit 130' INT TERM

count() { # N -> total Ir of one server run that served N requests (plus none else)
  local n=$1 out=$DIR/callgrind.$1.out
  port_busy "$PORT" && die "127.0.0.1:$PORT already answers; set BENCH_PORT"
  env "${SERVER_ENV[@]}" valgrind --tool=callgrind --callgrind-out-file="$out" "${SERVER_CMD[@]}" >"$DIR/server.$n.log" 2>&1 &
  SERVER_PID=$!
  if ! timeout 600 python3 "$BENCH_DIR/keepalive.py" "$PORT" "$n" "$SCENARIO" 120 >&2; then
    stop_server
    tail -n 20 "$DIR/server.$n.log" >&2
    die "$TARGET/$SCENARIO: the keep-alive client failed (server log: $DIR/server.$n.log)"
  fi
  stop_server
  awk '/^(summary|totals):/ {print $2; exit}' "$out" 2>/dev/null | grep . || die "no Ir total in $out"
}

A=$(count "$N1")
B=$(count "$N2")
LINE=$(awk -v a="$A" -v b="$B" -v n1="$N1" -v n2="$N2" -v t="$TARGET" -v s="$SCENARIO" 'BEGIN {
  printf "%s\t%s\t%.0f\tIr(%d)=%d\tIr(%d)=%d\n", t, s, (b - a) / (n2 - n1), n1, a, n2, b }')
printf '%s\t%s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$LINE" >>"$OUT/results/instr.tsv"
awk -F'\t' '{ printf "%s %s: %s instructions/request (%s, %s)\n", $1, $2, $3, $4, $5 }' <<<"$LINE"
