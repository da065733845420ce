-- wrk script for bench/api.py: POST a fresh code from the pre-generated batch per request.
-- Each wrk thread takes every Nth code (N = thread count) so no code is sent twice.
local codes = {}
local threads = tonumber(os.getenv("BENCH_THREADS") or "2")
local counter = 0
local id = 0
local created = 0

function setup(thread)
  thread:set("id", created)
  created = created + 1
end

function init(args)
  local i = 0
  for line in io.lines(os.getenv("BENCH_CODES")) do
    if i % threads == id then codes[#codes + 1] = line end
    i = i + 1
  end
end

function request()
  counter = counter + 1
  local code = codes[counter] or codes[1]
  local phone = string.format("+79%d%08d", id, counter % 100000000)
  local body = string.format('{"code":"%s","phone":"%s","consent":true,"age_confirmed":true}', code, phone)
  return wrk.format("POST", "/api/v1/registrations", {["Content-Type"] = "application/json"}, body)
end
