-- wrk: post.lua's call at a paced rate: each connection waits BENCH_DELAY_MS (default 10) after
-- every answer, so the server is loaded but not saturated and p99 shows what competes with the
-- calls (a reconcile), not the queue that a closed loop at full speed builds by itself.
dofile((os.getenv("BENCH_DIR") or "bench/runtime") .. "/post.lua")
local pause = tonumber(os.getenv("BENCH_DELAY_MS") or "10")
function delay()
  return pause
end
