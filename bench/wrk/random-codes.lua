-- wrk script for the timed redirect runs: every request asks for a code picked at random
-- (uniformly) among the seeded links b0000001..b<N>, so neither server can profit from
-- answering one hot key. wrk never follows redirects: a 302 is the whole response.
--
--   wrk -t1 -c64 -d20s --latency -s bench/wrk/random-codes.lua http://127.0.0.1:18080 [-- N]
--
-- N (the number of seeded links) defaults to 100000; a second argument "xff" gives each code's
-- requests an X-Forwarded-For address of their own. The requests are built once in init(),
-- so the Lua work per request is a table lookup: wrk has one core and must not be the
-- bottleneck. done() prints one machine-readable line, "BENCH_RESULT key=value ...", that
-- bench/lib/wrk.sh parses (latencies in microseconds).

local links = 100000
local requests = {}

local thread_count = 0
local threads = {}

function setup(thread)
   thread_count = thread_count + 1
   thread:set("thread_id", thread_count)
   table.insert(threads, thread)
end

function init(args)
   if args[1] ~= nil then
      links = tonumber(args[1])
   end
   -- thread_id is set by setup(); different seeds keep threads from walking in step
   math.randomseed(os.time() * 1000 + (thread_id or 0))
   -- "xff": each code's requests come from a client address of their own (198.18.0.0/15), for a
   -- proxy that limits per address and believes X-Forwarded-For from 127.0.0.1 (bench/load.sh's nginx)
   local xff = args[2] == "xff"
   for i = 1, links do
      local path = string.format("/b%07d", i)
      if xff then
         local host = i % 131072
         requests[i] = wrk.format("GET", path, {["X-Forwarded-For"] = string.format("198.%d.%d.%d",
            18 + math.floor(host / 65536), math.floor(host / 256) % 256, host % 256)})
      else
         requests[i] = wrk.format("GET", path)
      end
   end
end

function request()
   return requests[math.random(links)]
end

function done(summary, latency, requests)
   local e = summary.errors
   local seconds = summary.duration / 1e6
   io.write(string.format(
      "BENCH_RESULT requests=%d duration_us=%d rps=%.1f p50_us=%d p90_us=%d p99_us=%d " ..
      "max_us=%d bytes=%d err_connect=%d err_read=%d err_write=%d err_status=%d err_timeout=%d\n",
      summary.requests, summary.duration, summary.requests / seconds,
      latency:percentile(50.0), latency:percentile(90.0), latency:percentile(99.0),
      latency.max, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout))
end
