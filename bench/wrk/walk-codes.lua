-- wrk script that requests every seeded code once, in order (b0000001, b0000002, ...), to
-- fill TinyScale's caches before the timed runs. With T threads (-tT, passed again as the
-- third argument because a thread cannot know how many others there are), thread k takes
-- the codes k, k+T, k+2T, ...
--
--   wrk -t1 -c32 -d300s -s bench/wrk/walk-codes.lua http://127.0.0.1:18080 -- N DONE_FILE T
--
-- wrk has no "stop after N requests": each thread stops itself once all of its codes have
-- been answered and creates DONE_FILE.<k>; the caller waits for the T markers and ends wrk
-- with SIGINT (-d is only the upper bound). Responses other than 302 are counted; done()
-- prints "WALK_RESULT ... not_302=K first_bad=STATUS".

local links = 100000
local done_file = nil
local total = 1
local requests = {}
local share = 0     -- how many codes this thread requests
local sent = 0
local answered = 0
not_302 = 0         -- globals, so that done() can read them through thread:get()
first_bad = 0
finished = 0

local thread_count = 0
local threads = {}

function setup(thread)
   thread_count = thread_count + 1
   thread:set("thread_id", thread_count)
   table.insert(threads, thread)
end

function init(args)
   if args[1] ~= nil then links = tonumber(args[1]) end
   done_file = args[2]
   if args[3] ~= nil then total = tonumber(args[3]) end
   for i = (thread_id or 1), links, total do
      table.insert(requests, wrk.format("GET", string.format("/b%07d", i)))
   end
   share = #requests
end

function request()
   sent = sent + 1
   -- past the end (connections still busy while the thread stops): repeat the last code
   return requests[math.min(sent, share)]
end

function response(status, headers, body)
   answered = answered + 1
   if status ~= 302 then
      not_302 = not_302 + 1
      if first_bad == 0 then first_bad = status end
   end
   if answered == share then
      finished = 1
      if done_file ~= nil then
         local f = io.open(string.format("%s.%d", done_file, thread_id or 1), "w")
         if f then f:write("done\n"); f:close() end
      end
      wrk.thread:stop()
   end
end

function done(summary, latency, requests)
   local bad, status, complete = 0, 0, 0
   for _, t in ipairs(threads) do
      bad = bad + t:get("not_302")
      if status == 0 then status = t:get("first_bad") end
      complete = complete + t:get("finished")
   end
   io.write(string.format(
      "WALK_RESULT requests=%d duration_us=%d threads_finished=%d/%d not_302=%d first_bad=%d\n",
      summary.requests, summary.duration, complete, #threads, bad, status))
end
