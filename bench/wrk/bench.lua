-- wrk script for bench/run: the request comes from the environment, and done() prints one machine-readable
-- line with the exact latency percentiles (wrk --latency rounds them and prints no 99.9%).
--   BENCH_METHOD (GET), BENCH_AUTHORIZATION ("Bearer <token>"), BENCH_CONTENT_TYPE, BENCH_BODY
local function setting(name)
  local value = os.getenv(name)
  if value ~= nil and #value > 0 then return value end
  return nil
end

wrk.method = setting("BENCH_METHOD") or "GET"
wrk.body = setting("BENCH_BODY")
wrk.headers["Authorization"] = setting("BENCH_AUTHORIZATION")
wrk.headers["Content-Type"] = setting("BENCH_CONTENT_TYPE")

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    "BENCH-RESULT requests=%.0f duration_us=%.0f connect_errors=%.0f read_errors=%.0f write_errors=%.0f " ..
    "status_errors=%.0f timeouts=%.0f p50_us=%.0f p90_us=%.0f p99_us=%.0f p999_us=%.0f max_us=%.0f mean_us=%.1f\n",
    summary.requests, summary.duration, errors.connect, errors.read, errors.write, errors.status, errors.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9),
    latency.max, latency.mean))
end
