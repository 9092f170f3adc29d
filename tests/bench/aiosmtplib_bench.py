"""aiosmtplib's side of the benchmark: messages per second over one or more connections.

Same work as the .NET clients: EmailMessage objects built before timing, serialised by send_message
on every send. Prints one JSON object, like the .NET benchmark program (CPU time is the whole process's,
time.process_time; messagesSent counts the warm-up too, for the sink's CPU per message).
Usage: /usr/bin/python3 aiosmtplib_bench.py --port N --count N --connections N --reps N --warmup N --body-file PATH
"""
import argparse
import asyncio
import json
import statistics
import time
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

import aiosmtplib


def build(count, body):
    messages = []
    for i in range(count):
        message = EmailMessage()
        message["From"] = "Bench Sender <sender@example.test>"
        message["To"] = "Bench Recipient <rcpt@example.test>"
        message["Subject"] = f"Benchmark message {i}"
        message["Date"] = formatdate(localtime=True)
        message["Message-ID"] = make_msgid(domain="bench.example.test")
        message.set_content(body)
        messages.append(message)
    return messages


async def one_connection(port, messages):
    client = aiosmtplib.SMTP(hostname="127.0.0.1", port=port, start_tls=False, local_hostname="bench.example.test")
    await client.connect()
    for message in messages:
        await client.send_message(message)
    await client.quit()


async def repetition(port, messages, connections, limit):
    """Timed from the first connect to the last QUIT; the slices go out over parallel connections."""
    slices = [messages[len(messages) * c // connections:len(messages) * (c + 1) // connections] for c in range(connections)]
    started = time.perf_counter()
    await asyncio.wait_for(asyncio.gather(*(one_connection(port, s) for s in slices)), limit)
    return time.perf_counter() - started


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=2525)
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--connections", type=int, default=1)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--warmup", type=int, default=200)
    parser.add_argument("--budget-seconds", type=float, default=45)
    parser.add_argument("--timeout-seconds", type=float, default=60)
    parser.add_argument("--body-file", required=True)
    args = parser.parse_args()
    with open(args.body_file, newline="") as f:
        body = f.read().replace("\r\n", "\n")

    warmup = max(args.warmup, args.connections)
    await repetition(args.port, build(warmup, body), args.connections, args.timeout_seconds)
    rates, cpu = [], []
    started = time.perf_counter()
    for rep in range(args.reps):
        if rep > 0 and time.perf_counter() - started > args.budget_seconds:
            break
        messages = build(args.count, body)
        cpu_before = time.process_time()
        seconds = await repetition(args.port, messages, args.connections, args.timeout_seconds)
        cpu.append((time.process_time() - cpu_before) * 1e6 / args.count)
        rates.append(args.count / seconds)
    print(json.dumps({
        "kind": "throughput", "client": "aiosmtplib", "version": aiosmtplib.__version__,
        "connections": args.connections, "messages": args.count, "messagesSent": warmup + args.count * len(rates),
        "rates": rates,
        "medianRate": statistics.median(rates), "cpuMicrosecondsPerMessage": statistics.median(cpu),
    }))


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except Exception as e:  # one line the caller can show in its table, whatever failed
        print(json.dumps({"error": f"{type(e).__name__}: {e}"}))
        raise SystemExit(1)
