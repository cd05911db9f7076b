-- wrk script of bench/soak.sh against the guestbook: of every 20 requests, 1 signs through
-- the JSON API, 1 lists entries through it, 18 load the page (the newest 20 entries read
-- from SQLite and rendered). At the end, the machine-readable line soak.sh reads:
-- RESULT requests duration_us p50_us p99_us http_errors socket_errors
local counter = 0
local sign, list, page

function request()
  -- Built at the first request, once wrk has set its Host header (the server refuses a
  -- request without one).
  if not page then
    local json = {}
    for name, value in pairs(wrk.headers) do json[name] = value end
    json["Content-Type"] = "application/json"
    sign = wrk.format("POST", "/api/entries", json, '{"name": "soak", "message": "five minutes at c256"}')
    list = wrk.format("GET", "/api/entries?limit=5")
    page = wrk.format("GET", "/")
  end
  counter = counter + 1
  if counter % 20 == 0 then
    return sign
  elseif counter % 20 == 10 then
    return list
  end
  return page
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %d %d %d %d %d %d\n",
    summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(99),
    e.status, e.connect + e.read + e.write + e.timeout))
end
