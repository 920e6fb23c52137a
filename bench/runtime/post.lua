-- wrk: the same POST for every target (Conduit ignores nothing, nginx ignores the body).
wrk.method = "POST"
wrk.body = '{"customer":"Acme","items":[{"sku":"A-1","quantity":2}]}'
wrk.headers["Content-Type"] = "application/json"
local auth = os.getenv("BENCH_AUTH")
if auth and auth ~= "" then wrk.headers["Authorization"] = auth end
