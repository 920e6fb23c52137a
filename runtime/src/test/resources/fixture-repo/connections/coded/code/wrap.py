def main(input):
    data = input["response"]["body"]["data"]
    rows = data if isinstance(data, list) else [data]
    return {"rows": rows, "count": len(rows)}
