-- wrk script for bench/api.py: POST a fresh code and phone per request, count response codes.
-- Each wrk thread takes every Nth code (N = thread count) so no code is sent twice.
-- BENCH_MODE=get only counts response codes (the /healthz reference run).
--
-- `id` must stay a global: setup() sets it in each thread's Lua state with
-- thread:set, and a `local id` here would shadow it (every thread would then send
-- the same codes, and half the responses would be 409s).
local codes = {}
local threads = tonumber(os.getenv("BENCH_THREADS") or "2")
local mode = os.getenv("BENCH_MODE") or "register"
local counter = 0
local created = 0
local all_threads = {}
id = 0
statuses = {}

function setup(thread)
  thread:set("id", created)
  created = created + 1
  table.insert(all_threads, thread)
end

function init(args)
  if mode ~= "register" then return end
  local i = 0
  for line in io.lines(os.getenv("BENCH_CODES")) do
    if i % threads == id then codes[#codes + 1] = line end
    i = i + 1
  end
end

function request()
  if mode ~= "register" then return wrk.format("GET") end
  counter = counter + 1
  local code = codes[counter]
  if code == nil then error("bench/api.py: out of codes, generate more") end
  local phone = string.format("+79%d%08d", id, counter)
  local body = string.format('{"code":"%s","phone":"%s","consent":true,"age_confirmed":true}', code, phone)
  return wrk.format("POST", "/api/v1/registrations", {["Content-Type"] = "application/json"}, body)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  for _, thread in ipairs(all_threads) do
    for status, count in pairs(thread:get("statuses")) do
      io.write(string.format("status %d %d\n", status, count))
    end
  end
end
