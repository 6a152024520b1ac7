#!/usr/bin/env python3
# Counts tokens of a text file with OpenAI's tiktoken, offline: usage
#   python3 scripts/tiktoken_offline.py FILE [--time]
# OpenAI's tiktoken (PyPI 0.14.0) with the BPE files that tiktoken-rs ships,
# loaded offline (tiktoken's own download URL is unreachable here); tiktoken
# checks each file against its expected SHA-256, so the encodings are identical.
import glob, os, sys, time
import tiktoken, tiktoken.load
import tiktoken_ext.openai_public as op
ASSETS = sys.argv[2] if len(sys.argv) > 2 and not sys.argv[2].startswith("--") else glob.glob(os.path.expanduser("~/.cargo/registry/src/*/tiktoken-rs-0.12.*/assets"))[0]
real = tiktoken.load.load_tiktoken_bpe
def local(url, expected_hash=None):
    return real(ASSETS + "/" + url.rsplit("/", 1)[1], expected_hash=expected_hash)
op.load_tiktoken_bpe = local
text = open(sys.argv[1], encoding="utf-8").read()
for name in ("o200k_base", "cl100k_base"):
    enc = tiktoken.Encoding(**getattr(op, name)())
    n = len(enc.encode_ordinary(text))
    print(name, n, file=sys.stderr)
if "--time" in sys.argv:
    for name in ("o200k_base", "cl100k_base"):
        enc = tiktoken.Encoding(**getattr(op, name)())
        enc.encode_ordinary("warm up")
        best = min((lambda t0: (enc.encode_ordinary(text), time.perf_counter() - t0)[1])(time.perf_counter()) for _ in range(5))
        print(f"{name}: encode_ordinary best of 5 {best*1000:.0f} ms, {len(text.encode())/best/1e6:.1f} MB/s", file=sys.stderr)
