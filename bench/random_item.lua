-- wrk script: every request asks for a random item, PREFIX .. file_id .. SUFFIX.
-- The same script (and the same Authorization header) is used for the
-- baseline and for the gate, so both see identical request bytes but the path.
--
-- Environment: BENCH_PREFIX, BENCH_SUFFIX, BENCH_TOKEN, BENCH_ITEMS, BENCH_YEAR.
-- done() prints one line "BENCH_JSON {...}" that bench/gate.py parses.

local threads = {}
local counter = 0

function setup(thread)
   counter = counter + 1
   thread:set("seed", counter)
   table.insert(threads, thread)
end

function init(args)
   prefix = os.getenv("BENCH_PREFIX") or "/api/v1/items/"
   suffix = os.getenv("BENCH_SUFFIX") or "/agendizable"
   items = tonumber(os.getenv("BENCH_ITEMS") or "10000")
   year = os.getenv("BENCH_YEAR") or "2026"
   wrk.headers["Authorization"] = "Bearer " .. (os.getenv("BENCH_TOKEN") or "")
   wrk.headers["Accept"] = "application/json"
   math.randomseed(os.time() * 100 + seed)
   non2xx = 0
end

function request()
   local file_id = string.format("%s-%05d", year, math.random(1, items))
   return wrk.format("GET", prefix .. file_id .. suffix)
end

function response(status, headers, body)
   if status < 200 or status > 299 then
      non2xx = non2xx + 1
   end
end

function done(summary, latency, requests)
   local bad = 0
   for _, t in ipairs(threads) do
      bad = bad + t:get("non2xx")
   end
   local e = summary.errors
   io.write(string.format(
      'BENCH_JSON {"requests": %d, "duration_us": %d, "non_2xx": %d, ' ..
      '"socket_errors": {"connect": %d, "read": %d, "write": %d, "timeout": %d}, ' ..
      '"latency_us": {"p50": %d, "p90": %d, "p99": %d, "max": %d, "mean": %.1f}}\n',
      summary.requests, summary.duration, bad, e.connect, e.read, e.write, e.timeout,
      latency:percentile(50), latency:percentile(90), latency:percentile(99),
      latency.max, latency.mean))
end
