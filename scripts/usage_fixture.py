#!/usr/bin/env python3
"""Trims genai-prices' usage dataset (tests/dataset/usages.json) into
tests/fixtures/usage/genai-prices-usages.json for tests/usage_dataset.rs.

    # usages.json from https://github.com/pydantic/genai-prices (tests/dataset/)
    python3 scripts/usage_fixture.py usages.json \
        > tests/fixtures/usage/genai-prices-usages.json

Every body is kept, in order, with its index; only what the test reads is
kept of each: the body without its cassette `file` name, and of genai-prices'
results the extractors that computed a price (provider, API flavour, input
and output price, unchanged).
"""
import json
import sys

data = json.load(open(sys.argv[1]))
out = []
for index, entry in enumerate(data):
    body = {k: v for k, v in entry["body"].items() if k != "file"}
    priced = [
        {k: x[k] for k in ("provider_id", "api_flavor", "input_price", "output_price")}
        for e in entry["extracted"]
        for x in e["extractors"]
        if "input_price" in x
    ]
    out.append({"index": index, "body": body, "prices": priced})
print("[")
print(",\n".join(json.dumps(e, separators=(",", ":")) for e in out))
print("]")
