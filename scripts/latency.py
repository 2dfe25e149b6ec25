#!/usr/bin/env python3
"""Open-loop latency of POST requests at a fixed rate (coordinated omission corrected: latency
counts from the moment a request was due, not from when a connection was free).

  latency.py URL BODY_FILE --rate 1000 --seconds 10 [--auth 'Bearer x'] [--connections 32]

BODY_FILE may contain {SEQ4} and {SEQ14}: replaced per request (a fresh msgid for each call,
so no answer comes from the idempotency cache). Prints p50, p99, max in ms and the achieved rate.
"""
import argparse, asyncio, time, urllib.parse


async def worker(host, port, path, headers, queue, latencies, errors):
    reader, writer = await asyncio.open_connection(host, port)
    while True:
        item = await queue.get()
        if item is None:
            writer.close()
            return
        due, body = item
        writer.write(f"POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n{headers}"
                     f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
        await writer.drain()
        head = await reader.readuntil(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n"):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        payload = await reader.readexactly(length)
        if not head.startswith(b"HTTP/1.1 200") or b'"infcode":0' not in payload:
            errors.append(payload[:200])
        latencies.append(time.perf_counter() - due)


async def main():
    p = argparse.ArgumentParser()
    p.add_argument("url"); p.add_argument("body")
    p.add_argument("--rate", type=float, default=1000); p.add_argument("--seconds", type=float, default=10)
    p.add_argument("--auth", default=""); p.add_argument("--connections", type=int, default=32)
    a = p.parse_args()
    url = urllib.parse.urlparse(a.url)
    template = open(a.body).read()
    headers = f"Authorization: {a.auth}\r\n" if a.auth else ""
    queue, latencies, errors = asyncio.Queue(), [], []
    workers = [asyncio.create_task(worker(url.hostname, url.port, url.path, headers, queue, latencies, errors))
               for _ in range(a.connections)]
    total = int(a.rate * a.seconds)
    base = int(time.strftime("%Y%m%d%H%M%S"))  # a fresh msgid range on every run
    start = time.perf_counter()
    for i in range(total):
        due = start + i / a.rate
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        body = template.replace("{SEQ4}", f"{i % 10000:04d}").replace("{SEQ14}", f"{base + i // 10000:014d}")
        queue.put_nowait((due, body.encode()))
    for _ in workers:
        queue.put_nowait(None)
    await asyncio.gather(*workers)
    elapsed = time.perf_counter() - start
    latencies.sort()
    pct = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000
    print(f"requests {len(latencies)}  achieved {len(latencies) / elapsed:.0f}/s  p50 {pct(0.50):.2f} ms  "
          f"p99 {pct(0.99):.2f} ms  max {latencies[-1] * 1000:.2f} ms  errors {len(errors)}")
    if errors:
        print("first error:", errors[0])


asyncio.run(main())
