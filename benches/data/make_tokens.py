#!/usr/bin/env python3
"""Mints the tokens that every benchmarked library must reject, with PyJWT, from the sample keys
in ../../tests/data/keys/. The benchmarks check each library against them before timing it, so
a library whose issuer, audience or expiry check is off cannot be timed.

Output (committed; it is data): tokens.json, {algorithm: {case: token}} for the four benchmarked
algorithms and the cases wrong-iss, wrong-aud, expired (an hour before the benchmarks' clock, and
long before any real clock) and no-exp. Claims are otherwise those of tests/data/tokens/*.jwt.
Requires: pip install pyjwt cryptography (PyJWT 2.x).
"""
import json, os
import jwt

HERE = os.path.dirname(os.path.abspath(__file__))
KEYS = os.path.join(HERE, "..", "..", "tests", "data", "keys")
ISS = "https://issuer.tokengate.test"
AUD = "door-17"
IAT = 1767225600          # 2026-01-01T00:00:00Z
EXP = 4102444800          # 2100-01-01T00:00:00Z

def key(name):
    with open(os.path.join(KEYS, name), "rb") as f:
        return f.read()

SIGNERS = {
    "hs256": ("HS256", key("hs256.secret"), "hs256-test"),
    "es256": ("ES256", key("es256.pem"), "es256-test"),
    "rs256-2048": ("RS256", key("rsa2048.pem"), "rs256-2048-test"),
    "rs256-4096": ("RS256", key("rsa4096.pem"), "rs256-4096-test"),
}

def claims(**extra):
    c = {"iss": ISS, "sub": "device-operator", "aud": AUD, "iat": IAT, "exp": EXP,
         "scope": "door:open door:status", "jti": "sample-1"}
    c.update(extra)
    return {k: v for k, v in c.items() if v is not None}

CASES = {
    "wrong-iss": claims(iss=ISS + "/"),
    "wrong-aud": claims(aud="door-18"),
    "expired": claims(exp=IAT + 60),
    "no-exp": claims(exp=None),
}

def main():
    out = {}
    for name, (alg, pem, kid) in SIGNERS.items():
        out[name] = {case: jwt.encode(c, pem, algorithm=alg, headers={"kid": kid, "typ": "JWT"})
                     for case, c in CASES.items()}
    with open(os.path.join(HERE, "tokens.json"), "w") as f:
        json.dump(out, f, indent=1, sort_keys=True)
        f.write("\n")

if __name__ == "__main__":
    main()
