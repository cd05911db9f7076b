-- wrk script of bench/run.sh. With BENCH_POST_BODY set, every request is a POST of that
-- urlencoded body (built once, no per-request Lua); otherwise the URL's GET.
-- At the end, one machine-readable line for run.sh (latencies in microseconds):
-- RESULT requests duration_us p50_us p99_us http_errors socket_errors
local body = os.getenv("BENCH_POST_BODY")
if body and body ~= "" then
  wrk.method = "POST"
  wrk.body = body
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %d %d %d %d %d %d\n",
    summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(99),
    e.status, e.connect + e.read + e.write + e.timeout))
end
