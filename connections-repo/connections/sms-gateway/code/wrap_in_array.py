# The gateway answers one object for one message and a list for several.
# Outputs want a list either way: wrap a single report into a JSON array.

def main(input):
    body = input["response"]["body"]
    reports = body.get("data") if isinstance(body, dict) else body
    if reports is None:
        reports = []
    elif isinstance(reports, dict):
        reports = [reports]
    return {"reports": reports}
