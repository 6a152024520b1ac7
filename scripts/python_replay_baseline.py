"""Baseline for BENCHMARKS.md: replay an OpenAI-style usage log in Python
with pydantic's genai-prices (PyPI `genai-prices`), the way a script would:
parse each line, extract the usage, price it at its timestamp, sum.

    python3 -m venv /tmp/gpv && /tmp/gpv/bin/pip install genai-prices
    /tmp/gpv/bin/python scripts/python_replay_baseline.py log100k.jsonl
"""

import datetime
import json
import sys
import time

import genai_prices


def main(path: str) -> None:
    start = time.perf_counter()
    total = 0.0
    lines = 0
    with open(path) as f:
        for line in f:
            record = json.loads(line)
            usage = genai_prices.extract_usage(record, provider_id="openai", api_flavor="chat")
            when = datetime.datetime.fromtimestamp(record["created"], tz=datetime.timezone.utc)
            price = genai_prices.calc_price(usage.usage, record["model"], provider_id="openai", genai_request_timestamp=when)
            total += float(price.total_price)
            lines += 1
    elapsed = time.perf_counter() - start
    print(f"{lines} lines, ${total:.2f}, {elapsed:.2f} s, {lines / elapsed:,.0f} lines/s")


if __name__ == "__main__":
    main(sys.argv[1])
