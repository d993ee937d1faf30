-- wrk script: the criterion autosave (PATCH with If-Match), each request on a score that
-- was not written yet in this run (so If-Match "1" is current and every write is real).
--   BENCH_POOL=file of "score_id token" lines, BENCH_OFFSET=first line of this run
--   BENCH_THINK_MS=mean pause of each connection before each save (a tablet's pace: an
--   assessor taps a criterion, then reads the next); 0 or unset = back to back (closed loop)
local counter = 0
local threads = {}

function setup(thread)
  thread:set("tid", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  nthreads = counter
  pool = {}
  local offset = tonumber(os.getenv("BENCH_OFFSET") or "0")
  local i = 0
  for line in io.lines(os.getenv("BENCH_POOL")) do
    if i >= offset and (i % 2) == tid % 2 then
      local id, token = string.match(line, "^(%d+) (%S+)$")
      table.insert(pool, {id, token})
    end
    i = i + 1
  end
  index = 0
  think = tonumber(os.getenv("BENCH_THINK_MS") or "0")
  math.randomseed(os.time() + tid)
end

function delay()
  if think > 0 then
    return math.random(math.floor(think / 2), math.floor(think * 3 / 2))
  end
  return 0
end

function request()
  index = index + 1
  local item = pool[((index - 1) % #pool) + 1]
  return wrk.format("PATCH", "/api/v1/criterion-scores/" .. item[1] .. "/", {
    ["Authorization"] = "Token " .. item[2],
    ["If-Match"] = '"1"',
    ["Content-Type"] = "application/json",
    ["Host"] = "127.0.0.1",
  }, '{"state": "satisfied", "comment": "ok"}')
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests":%d,"duration_us":%d,"p50_us":%d,"p95_us":%d,"p99_us":%d,' ..
    '"max_us":%d,"non_2xx":%d,"socket_errors":%d,"timeouts":%d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, errors.status,
    errors.connect + errors.read + errors.write, errors.timeout))
end
