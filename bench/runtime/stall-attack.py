#!/usr/bin/env python3
"""The attacks of bench/runtime/stall.sh, and the upstream that hangs.

  stall-attack.py upstream PORT                         accept, read, never answer
  stall-attack.py answer PORT                           the victim's upstream: fixed JSON, keep-alive
  stall-attack.py hang  URL AUTHORIZATION CALLERS SECONDS
  stall-attack.py slow  URL AUTHORIZATION CALLERS SECONDS

hang: CALLERS callers each keep one invoke in flight (to a connection whose upstream hangs),
sending the next as soon as one is answered (after Retry-After when refused).
slow: CALLERS callers each send an invoke whose body arrives a byte every 100 ms (4,000 bytes
announced, so 400 s if nobody stops it), and start again when answered.
Prints one line: the answers by status (what the attacker got), e.g. {"503": 7412, "504": 0}.
One process, asyncio: hundreds of callers cost the machine almost nothing.
"""
import asyncio
import json
import sys
import urllib.parse
from collections import Counter


async def upstream(port):
    async def hold(reader, writer):
        try:
            while await reader.read(65536):
                pass  # read whatever comes, answer nothing
        finally:
            writer.close()

    server = await asyncio.start_server(hold, "127.0.0.1", port, backlog=1024)
    async with server:
        await server.serve_forever()


TOKEN = b'{"access_token":"bench-token","token_type":"Bearer","expires_in":86400}'
ORDER = b'{"orderId":"ord-1","status":"accepted","total":39.80}'


async def answer(port):
    """What nginx answers in bench/runtime/nginx.conf.template, without needing nginx."""
    async def serve(reader, writer):
        try:
            while True:
                line = await reader.readline()
                if not line:
                    break
                length = 0
                while True:
                    h = await reader.readline()
                    if h in (b"\r\n", b"\n", b""):
                        break
                    if h.lower().startswith(b"content-length:"):
                        length = int(h.split(b":", 1)[1])
                if length:
                    await reader.readexactly(length)
                body = TOKEN if b"/oauth/token" in line else ORDER
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                             + str(len(body)).encode() + b"\r\n\r\n" + body)
                await writer.drain()
        except (OSError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(serve, "127.0.0.1", port, backlog=1024)
    async with server:
        await server.serve_forever()


async def status_of(reader):
    line = await reader.readline()
    parts = line.split()
    return parts[1].decode() if len(parts) > 1 else "closed"


async def caller(mode, url, auth, end, counts):
    u = urllib.parse.urlsplit(url)
    loop = asyncio.get_running_loop()
    while loop.time() < end:
        try:
            reader, writer = await asyncio.open_connection(u.hostname, u.port)
        except OSError:
            counts["connect-failed"] += 1
            await asyncio.sleep(0.1)
            continue
        body = b"{}" if mode == "hang" else b"{" + b" " * 3998 + b"}"
        head = (f"POST {u.path} HTTP/1.1\r\nHost: {u.hostname}:{u.port}\r\nAuthorization: {auth}\r\n"
                f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n").encode()
        status = None
        answer = None
        try:
            if mode == "hang":
                writer.write(head + body)
                await writer.drain()
                status = await asyncio.wait_for(status_of(reader), max(0.1, end - loop.time()))
            else:
                writer.write(head + body[:1])
                answer = asyncio.ensure_future(status_of(reader))
                for b in body[1:]:
                    if answer.done() or loop.time() >= end:
                        break
                    await asyncio.sleep(0.1)
                    writer.write(bytes([b]))
                    await writer.drain()
                status = await asyncio.wait_for(answer, max(0.1, end - loop.time()))
        except (asyncio.TimeoutError, OSError):
            status = status or "unanswered"
        finally:
            if answer is not None and not answer.done():
                answer.cancel()
            elif answer is not None and not answer.cancelled():
                answer.exception()  # retrieved: a closed connection is an answer of sorts
            writer.close()
        counts[status] += 1
        if status in ("429", "503"):
            await asyncio.sleep(1)  # Retry-After


async def attack(mode, url, auth, callers, seconds):
    counts = Counter()
    end = asyncio.get_running_loop().time() + seconds
    await asyncio.gather(*(caller(mode, url, auth, end, counts) for _ in range(callers)))
    print(json.dumps(dict(sorted(counts.items()))))


def main():
    if sys.argv[1] == "upstream":
        asyncio.run(upstream(int(sys.argv[2])))
    elif sys.argv[1] == "answer":
        asyncio.run(answer(int(sys.argv[2])))
    else:
        mode, url, auth, callers, seconds = sys.argv[1:6]
        asyncio.run(attack(mode, url, auth, int(callers), float(seconds)))


if __name__ == "__main__":
    main()
