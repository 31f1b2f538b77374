-- wrk script of bench/scale.sh: every request asks for one of N seeded codes s00000001..s<N>
-- (8 digits: up to 99,999,999 links), drawn from a uniform or a Zipf distribution.
--
--   wrk -t1 -c64 -d20s --latency -s bench/wrk/scale-codes.lua http://127.0.0.1:28200 \
--       -- N uniform|zipf [S] [POOL]
--
-- uniform: a code per request, math.random(N).
-- zipf:    rank k has weight 1/k^S (S defaults to 1.0). init() samples POOL ranks (default
--          1,000,000) from Zipf(N, S) with rejection-inversion (Hörmann and Derflinger, 1996:
--          O(1) per sample whatever N, no table of N entries), and each request takes a random
--          one of them. Ranks are spread over the table by a fixed permutation
--          (code = (rank - 1) * A mod N + 1, A a prime coprime with N): the popular links are not
--          the oldest rows.
--
-- Both build the request text per request from the same prefix and suffix (wrk.format's own text
-- for a code of the same length), so the two distributions cost wrk the same per request.
-- done() prints "BENCH_RESULT key=value ..." (latencies in microseconds; bench/lib/wrk.sh reads
-- it) with wrk_cpu_pct: wrk's CPU time over the run (after init) in % of one core, and for zipf
-- top1_share: the share of the pool in the top 1 % of ranks (expected: top1_expected).

local links = 10000
local dist = "uniform"
local exponent = 1.0
local pool_size = 1000000
local pool = {}
local multiplier = 1
local prefix, suffix

-- per-thread values that done() reads through thread:get()
init_cpu = 0
pool_seconds = 0
top1_share = -1
top1_expected = -1

local threads = {}
local thread_count = 0

function setup(thread)
   thread_count = thread_count + 1
   thread:set("thread_id", thread_count)
   table.insert(threads, thread)
end

local function gcd(a, b)
   while b ~= 0 do a, b = b, a % b end
   return a
end

-- Zipf(N, s) by rejection-inversion, as in Apache Commons RNG's RejectionInversionZipfSampler
local function helper1(x) -- log(1 + x) / x
   if math.abs(x) > 1e-4 then return math.log(1 + x) / x end
   return 1 - x * (0.5 - x * (1 / 3 - 0.25 * x))
end
local function helper2(x) -- (exp(x) - 1) / x
   if math.abs(x) > 1e-4 then return (math.exp(x) - 1) / x end
   return 1 + x * 0.5 * (1 + x / 3 * (1 + 0.25 * x))
end
local function h(x) return math.exp(-exponent * math.log(x)) end
local function h_integral(x)
   local log_x = math.log(x)
   return helper2((1 - exponent) * log_x) * log_x
end
local function h_integral_inverse(x)
   local t = x * (1 - exponent)
   if t < -1 then t = -1 end
   return math.exp(helper1(t) * x)
end

local function zipf_sampler(n)
   local h_x1 = h_integral(1.5) - 1
   local h_n = h_integral(n + 0.5)
   local shift = 2 - h_integral_inverse(h_integral(2.5) - h(2))
   return function()
      while true do
         local u = h_n + math.random() * (h_x1 - h_n)
         local x = h_integral_inverse(u)
         local k = math.floor(x + 0.5)
         if k < 1 then k = 1 elseif k > n then k = n end
         if k - x <= shift or u >= h_integral(k + 0.5) - h(k) then
            return k
         end
      end
   end
end

-- generalized harmonic number H(n, s): the first 1000 terms exactly, the rest as an integral
local function harmonic(n)
   local m = math.min(n, 1000)
   local sum = 0
   for k = 1, m do sum = sum + k ^ -exponent end
   if n > m then
      local a, b = m + 0.5, n + 0.5
      if math.abs(exponent - 1) < 1e-12 then
         sum = sum + math.log(b / a)
      else
         sum = sum + (b ^ (1 - exponent) - a ^ (1 - exponent)) / (1 - exponent)
      end
   end
   return sum
end

function init(args)
   if args[1] ~= nil then links = tonumber(args[1]) end
   if args[2] ~= nil then dist = args[2] end
   if args[3] ~= nil then exponent = tonumber(args[3]) end
   if args[4] ~= nil then pool_size = tonumber(args[4]) end
   math.randomseed(os.time() * 1000 + (thread_id or 0))
   local sample = wrk.format("GET", "/s00000000")
   local at = string.find(sample, "00000000", 1, true)
   prefix = string.sub(sample, 1, at - 1)
   suffix = string.sub(sample, at + 8)
   if dist == "zipf" then
      local started = os.clock()
      for _, a in ipairs({104729, 104723, 104717, 1}) do
         if gcd(a, links) == 1 then multiplier = a; break end
      end
      local draw = zipf_sampler(links)
      local top = math.floor(links / 100)
      local in_top = 0
      for i = 1, pool_size do
         local rank = draw()
         if rank <= top then in_top = in_top + 1 end
         pool[i] = ((rank - 1) * multiplier) % links + 1
      end
      top1_share = in_top / pool_size
      top1_expected = top >= 1 and harmonic(top) / harmonic(links) or 0
      pool_seconds = os.clock() - started
   elseif dist ~= "uniform" then
      error("distribution must be uniform or zipf, not " .. tostring(dist))
   end
   init_cpu = os.clock()
end

function request()
   local code
   if dist == "zipf" then
      code = pool[math.random(pool_size)]
   else
      code = math.random(links)
   end
   return prefix .. string.format("%08d", code) .. suffix
end

function done(summary, latency, requests)
   local e = summary.errors
   local seconds = summary.duration / 1e6
   local t = threads[1]
   -- os.clock() is the process' CPU time, all threads; minus what it was when init() ended
   local cpu = os.clock() - (t and t:get("init_cpu") or 0)
   io.write(string.format(
      "BENCH_RESULT requests=%d duration_us=%d rps=%.1f p50_us=%d p90_us=%d p99_us=%d " ..
      "max_us=%d bytes=%d err_connect=%d err_read=%d err_write=%d err_status=%d err_timeout=%d " ..
      "wrk_cpu_pct=%.0f pool_seconds=%.2f top1_share=%.4f top1_expected=%.4f\n",
      summary.requests, summary.duration, summary.requests / seconds,
      latency:percentile(50.0), latency:percentile(90.0), latency:percentile(99.0),
      latency.max, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
      100 * cpu / seconds, t and t:get("pool_seconds") or 0,
      t and t:get("top1_share") or -1, t and t:get("top1_expected") or -1))
end
