#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets into fuzz/corpus/<target>/ (git-ignored).

Seeds come from the repository's test data: the sample tokens (tests/data/tokens), the PyJWT
tokens (tests/data/pyjwt_tokens.json), Wycheproof's JWS file and the RFC 7515/7520 examples
(tests/vectors), and, for the JSON and base64 layers, their decoded headers, payloads and
segments. The `keys`, `differential`, `p256` and `rsa` targets read structured input
(`arbitrary`): their seeds are the sample key material and a few byte strings from which
libFuzzer grows its own.
Standard library only; run from anywhere: python3 fuzz/make_seeds.py
"""
import base64, binascii, hashlib, json, os, re

FUZZ = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(FUZZ)
DATA = os.path.join(ROOT, "tests", "data")
VECTORS = os.path.join(ROOT, "tests", "vectors")


def b64d(s):
    try:
        return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))
    except (binascii.Error, ValueError):
        return None


def tokens():
    out = []
    tokdir = os.path.join(DATA, "tokens")
    for name in sorted(os.listdir(tokdir)):
        with open(os.path.join(tokdir, name)) as f:
            out.append(f.read().strip())
    with open(os.path.join(DATA, "pyjwt_tokens.json")) as f:
        out += [c["token"] for c in json.load(f)["cases"]]
    with open(os.path.join(VECTORS, "wycheproof", "json_web_signature_test.json")) as f:
        for group in json.load(f)["testGroups"]:
            out += [t["jws"] for t in group["tests"] if isinstance(t.get("jws"), str)]
    # Every compact-looking string in the RFC examples file.
    with open(os.path.join(VECTORS, "rfc", "rfc7515_7520.json")) as f:
        text = f.read()
    out += re.findall(r'"(ey[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*)"', text)
    return list(dict.fromkeys(out))


def write(target, items):
    d = os.path.join(FUZZ, "corpus", target)
    os.makedirs(d, exist_ok=True)
    for item in items:
        if isinstance(item, str):
            item = item.encode()
        with open(os.path.join(d, hashlib.sha1(item).hexdigest()), "wb") as f:
            f.write(item)
    print(f"{target}: {len(items)} seeds")


def main():
    toks = tokens()
    segments, headers, payloads = [], [], []
    for t in toks:
        parts = t.split(".")
        segments += parts
        if len(parts) >= 2:
            for part, into in ((parts[0], headers), (parts[1], payloads)):
                raw = b64d(part)
                if raw is not None:
                    into.append(raw)
    payloads += [
        b'{"iss":"https://issuer.tokengate.test","aud":["door-17"],"exp":1767232800,'
        b'"iat":1767225600.5,"scp":["door:open"],"door":"front","level":3,'
        b'"roles":["admin","ops"],"realm_access":{"roles":["x"]},"sub":"dev\\u0069ce"}',
        b'{"iss":"https:\\/\\/issuer.tokengate.test","aud":"door-18","exp":1.7672328e9,'
        b'"nbf":1767229100,"iat":1767229000,"scope":"door:status door:open"}',
    ]
    write("token", toks)
    write("header", list(dict.fromkeys(headers)))
    write("claims", list(dict.fromkeys(payloads)))
    write("segments", list(dict.fromkeys(segments)))
    with open(os.path.join(DATA, "keys", "keys.json")) as f:
        keys = json.load(f)
    sec1 = bytes.fromhex(keys["es256"]["sec1"])
    n = bytes.fromhex(keys["rsa2048"]["n"])
    secret = bytes.fromhex(keys["hs256"]["secret"])
    write("keys", [
        b"\x00\x00\x00\x00" + sec1 + b"message" * 4,
        b"\x55\x55\x55\x55" + n + b"\x01\x00\x01\x00" + b"message",
        b"\xaa\xaa\xaa\xaa" + secret + b"message",
    ])
    write("differential", [b"", b"\x00" * 64, b"\x01" * 64, bytes(range(256))])
    # `arbitrary` input: size, pair, exponent (u32, little-endian), the mutation's variant (a
    # u32 scaled to the variant count: 0 is the unmutated signature, which must verify), then
    # the message; libFuzzer grows the rest.
    write("rsa", [
        bytes([size, pair]) + e.to_bytes(4, "little") + variant.to_bytes(4, "little") + message
        for size, pair, e, variant, message in (
            (0, 0, 65537, 0, b"message"),
            (1, 1, 3, 0, b'{"iss":"https://issuer.tokengate.test"}'),
            (2, 2, 0xFFFFFFFF, 0, b""),
            (0, 1, 65539, 0x4000_0000, b"message"),
            (2, 0, 0x8000_0001, 0xC000_0000, b"message"),
        )
    ])
    # `arbitrary` input: the first byte picks Raw (even) or Signed (odd); zero masks keep a
    # genuine signature, which the target then requires to verify.
    write("p256", [
        b"\x00" + sec1[1:] + bytes(96),
        b"\x01" + bytes(range(1, 33)) + bytes(32) + bytes(64 + 32 + 64) + b"\x00",
        b"\x01" + bytes(range(1, 33)) + bytes(range(32)) + bytes(64 + 32 + 64) + b"\x01",
    ])
    # p256_field: `arbitrary` reads any bytes as a Case (an input that runs out is completed
    # with zeros); the fuzzer finds the structure from there.
    write("p256_field", [b"", bytes(64), b"\xff" * 128, bytes(range(256))])


if __name__ == "__main__":
    main()
