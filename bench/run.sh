#!/usr/bin/env bash
# bench/run.sh: load test of example-bench-server (microframe) against bare hyper, axum and
# actix-web peers (bench/peers), and of microframe-wsgi serving the same scenarios as Python
# WSGI apps (bench/wsgi), on loopback, server and wrk pinned to separate CPUs.
# `just bench` runs it; it works from any directory. See bench/README.md.
#
# Env (defaults): SCENARIOS (hello query post), TARGETS (microframe axum hyper actix),
#   (microframe-wsgi is a target too, not a default one),
#   ROUNDS (3, interleaved A B C A B C), SECONDS_PER_RUN (10), WARMUP (2 s),
#   CONNECTIONS (64), WRK_THREADS (1), SERVER_CPUS (0), WRK_CPUS (1), BENCH_PORT (18080).
# Raw results: target/bench/results/STAMP/ (runs.tsv, wrk and server logs, summary.md).
# Exit status 1 when a run failed or saw errors; the tables are printed all the same.
set -euo pipefail
# c1024 runs need more descriptors than the common default of 1024.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

SCENARIOS=${SCENARIOS:-hello query post}
TARGETS=${TARGETS:-microframe axum hyper actix}
ROUNDS=${ROUNDS:-3}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-10}
WARMUP=${WARMUP:-2}
CONNECTIONS=${CONNECTIONS:-64}
WRK_THREADS=${WRK_THREADS:-1}
SERVER_CPUS=${SERVER_CPUS:-0}
WRK_CPUS=${WRK_CPUS:-1}
PORT=${BENCH_PORT:-18080}
for v in ROUNDS SECONDS_PER_RUN WARMUP CONNECTIONS WRK_THREADS PORT; do
  [[ ${!v} =~ ^[0-9]+$ ]] || die "$v must be a number, not '${!v}'"
done
((ROUNDS >= 1 && ROUNDS <= 50 && SECONDS_PER_RUN >= 1 && SECONDS_PER_RUN <= 600)) ||
  die "ROUNDS must be 1..50 and SECONDS_PER_RUN 1..600"
read -ra SCENARIO_LIST <<<"$SCENARIOS"
read -ra TARGET_LIST <<<"$TARGETS"
for s in "${SCENARIO_LIST[@]}"; do scenario_path "$s" >/dev/null; done

ensure_pkgs wrk:wrk taskset:util-linux ps:procps curl:curl
build "${TARGET_LIST[@]}"
for t in microframe "${TARGET_LIST[@]}"; do
  [[ -x $(bin_of "$t") ]] || die "missing $(bin_of "$t") after the build"
done

STAMP=$(date +%Y%m%d-%H%M%S)
RUN_DIR=$OUT/results/$STAMP
mkdir -p "$RUN_DIR/verify"
RUNS=$RUN_DIR/runs.tsv
SUMMARY=$RUN_DIR/summary.md
printf 'scenario\ttarget\tround\treq_s\tp50_us\tp99_us\terrors\tcpu_us_per_req\trss_kib\trequests\n' >"$RUNS"
HZ=$(getconf CLK_TCK)
FAILED=0
trap stop_server EXIT
trap 'exit 130' INT TERM

say() { printf '%s\n' "$*" | tee -a "$SUMMARY"; }

cpu_ticks() { # PID -> utime+stime of the process (all threads), in clock ticks
  local stat f
  stat=$(<"/proc/$1/stat")
  read -ra f <<<"${stat##*) }" # f[0] is field 3 (state): utime = f[11], stime = f[12]
  echo $((f[11] + f[12]))
}

# verify SCENARIO: every target's status, Content-Type and body must equal microframe's.
verify() {
  local s=$1 t ref=$RUN_DIR/verify/$1-microframe
  for t in microframe "${TARGET_LIST[@]}"; do
    [[ $t == microframe && -e $ref.meta ]] && continue
    server_cmd "$t" "$s" "$PORT"
    start_server "$RUN_DIR/verify/$s-$t.log" env "${SERVER_ENV[@]}" "${SERVER_CMD[@]}" || die "$t did not start"
    fetch "$s" "$RUN_DIR/verify/$s-$t" || true
    stop_server
    if [[ $t == microframe ]]; then
      [[ $(cut -f1 "$ref.meta") == 200 && -s $ref.body ]] ||
        die "microframe/$s: expected 200 with a body, got '$(cat "$ref.meta")'"
    elif ! cmp -s "$ref.meta" "$RUN_DIR/verify/$s-$t.meta"; then
      die "$t/$s: status and Content-Type '$(cat "$RUN_DIR/verify/$s-$t.meta")'," \
        "microframe's '$(cat "$ref.meta")' (responses in $RUN_DIR/verify/)"
    elif ! cmp -s "$ref.body" "$RUN_DIR/verify/$s-$t.body"; then
      die "$t/$s: body differs from microframe's; see: diff $RUN_DIR/verify/$s-{microframe,$t}.body"
    fi
  done
}

# measure TARGET SCENARIO ROUND: one pinned server, warm-up, measured wrk run, one TSV line.
measure() {
  local t=$1 s=$2 r=$3 base="$RUN_DIR/$2-$1-r$3" url t0 t1 rss line
  local post_body="" wrk
  [[ $s == post ]] && post_body=$POST_BODY
  url="http://127.0.0.1:$PORT$(scenario_path "$s")"
  wrk=(env BENCH_POST_BODY="$post_body" taskset -c "$WRK_CPUS"
    wrk -t"$WRK_THREADS" -c"$CONNECTIONS" --latency -s "$BENCH_DIR/wrk.lua")
  server_cmd "$t" "$s" "$PORT"
  start_server "$base.server.log" env "${SERVER_ENV[@]}" taskset -c "$SERVER_CPUS" "${SERVER_CMD[@]}" || return 1
  if ((WARMUP > 0)); then
    timeout $((WARMUP + 30)) "${wrk[@]}" -d"${WARMUP}s" "$url" >"$base.warmup.log" 2>&1 || true
  fi
  echo "# loadavg $(cut -d' ' -f1-3 /proc/loadavg); ${wrk[*]} -d${SECONDS_PER_RUN}s $url" >"$base.wrk.log"
  t0=$(cpu_ticks "$SERVER_PID")
  timeout $((SECONDS_PER_RUN + 30)) "${wrk[@]}" -d"${SECONDS_PER_RUN}s" "$url" >>"$base.wrk.log" 2>&1 || true
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then
    stop_server
    echo "bench: $t/$s died during the run; see $base.server.log" >&2
    return 1
  fi
  t1=$(cpu_ticks "$SERVER_PID")
  rss=$(awk '/^VmHWM:/ {print $2}' "/proc/$SERVER_PID/status")
  stop_server
  line=$(grep '^RESULT ' "$base.wrk.log") || { echo "bench: no wrk result in $base.wrk.log" >&2; return 1; }
  awk -v l="$line" -v s="$s" -v t="$t" -v r="$r" -v dt=$((t1 - t0)) -v hz="$HZ" -v rss="$rss" 'BEGIN {
    split(l, f, " "); n = f[2]; if (n == 0) exit 1
    printf "%s\t%s\t%d\t%.0f\t%d\t%d\t%d\t%.2f\t%d\t%d\n",
      s, t, r, n / (f[3] / 1e6), f[4], f[5], f[6] + f[7], dt / hz * 1e6 / n, rss, n }' | tee -a "$RUNS" >&2
}

table() { # SCENARIO -> markdown table from runs.tsv
  awk -F'\t' -v s="$1" -v order="$TARGETS" -v rounds="$ROUNDS" '
    $1 == s { t = $2; n[t]++; sum[t] += $4; p50[t] += $5; cpu[t] += $8; err[t] += $7
      if (!(t in mn) || $4 < mn[t]) mn[t] = $4; if ($4 > mx[t]) mx[t] = $4
      if ($6 > p99[t]) p99[t] = $6; if ($9 > rss[t]) rss[t] = $9 }
    END {
      k = split(order, ts, " "); ref = "axum"
      if (!n[ref]) for (j = 1; j <= k; j++) if (n[ts[j]]) { ref = ts[j]; break }
      refm = n[ref] ? sum[ref] / n[ref] : 0
      printf "| target | req/s (mean) | spread (min–max) | ratio to %s | p50 ms (mean) | p99 ms (worst) | CPU µs/req | RSS KiB (VmHWM) | errors | runs |\n", ref
      print "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
      for (j = 1; j <= k; j++) { t = ts[j]
        if (seen[t]++) continue
        if (!n[t]) { printf "| %s | FAILED | | | | | | | | 0/%d |\n", t, rounds; continue }
        m = sum[t] / n[t]
        printf "| %s | %.0f | %.0f–%.0f (%.1f%%) | %.3f | %.3f | %.3f | %.2f | %d | %d | %d/%d |\n",
          t, m, mn[t], mx[t], 100 * (mx[t] - mn[t]) / m, m / refm, p50[t] / n[t] / 1000,
          p99[t] / 1000, cpu[t] / n[t], rss[t], err[t], n[t], rounds }
    }' "$RUNS"
}

say "# microframe load benchmark, $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
say ""
say "- machine: $(nproc) CPUs, $(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo), Linux $(uname -r), loadavg $(cut -d' ' -f1-3 /proc/loadavg)"
say "- command: SCENARIOS='$SCENARIOS' TARGETS='$TARGETS' ROUNDS=$ROUNDS SECONDS_PER_RUN=$SECONDS_PER_RUN WARMUP=$WARMUP CONNECTIONS=$CONNECTIONS WRK_THREADS=$WRK_THREADS SERVER_CPUS=$SERVER_CPUS WRK_CPUS=$WRK_CPUS BENCH_PORT=$PORT bash bench/run.sh"
say "- pinning: server \`taskset -c $SERVER_CPUS\`, load generator \`taskset -c $WRK_CPUS wrk -t$WRK_THREADS -c$CONNECTIONS -d${SECONDS_PER_RUN}s --latency\`"
say "- raw results: target/bench/results/$STAMP/"

for s in "${SCENARIO_LIST[@]}"; do
  echo "bench: $s: checking every target answers like microframe" >&2
  verify "$s"
  for ((r = 1; r <= ROUNDS; r++)); do
    for t in "${TARGET_LIST[@]}"; do
      echo "bench: $s round $r/$ROUNDS: $t" >&2
      measure "$t" "$s" "$r" || { FAILED=1; echo "bench: $s/$t round $r FAILED" >&2; }
    done
  done
  say ""
  say "## $s"
  say ""
  table "$s" | tee -a "$SUMMARY"
done

ERRORS=$(awk -F'\t' 'NR > 1 { e += $7 } END { print e + 0 }' "$RUNS")
if ((FAILED || ERRORS)); then
  say ""
  say "**WARNING**: failed runs: $FAILED, errors (HTTP >= 400 or socket): $ERRORS; see target/bench/results/$STAMP/"
  exit 1
fi
