#!/usr/bin/env python3
"""Mints one token per JWS algorithm and key with PyJWT, a third-party JOSE implementation.

Output (committed; it is data): pyjwt_algorithms.json, the cases of
tests/third_party.rs::pyjwt_every_algorithm: each token with its algorithm, the `kid` of the key
that verifies it, and the outcome tokengate must give. The RSA keys are the sample keys of keys/
(each `kid` names the one algorithm its key is provisioned for); the HMAC secrets are the 48-
and 64-byte test secrets of tests/common (written to keys/hs384.secret and keys/hs512.secret).

Cross-algorithm cases: a PS256 token whose `kid` names the same modulus provisioned for RS256,
an RS384 token for the RS512 key, a PS384 token for the PS256 key, an HS256 token (from the
HS512 secret) for the HS512 key: each must be `AlgMismatch`.

Claims as make_tokens.py. Requires: pip install pyjwt cryptography (PyJWT 2.x).
"""
import json, os
import jwt
from make_tokens import HERE, ISS, AUD, NOW, claims

KEYS = os.path.join(HERE, "keys")
HS384_SECRET = b"tokengate HS384 test secret, 48 bytes long.....!"
HS512_SECRET = b"tokengate HS512 test secret, sixty-four bytes long, no more....!"

def pem(name):
    with open(os.path.join(KEYS, name), "rb") as f:
        return f.read()

def main():
    for name, secret in [("hs384.secret", HS384_SECRET), ("hs512.secret", HS512_SECRET)]:
        with open(os.path.join(KEYS, name), "wb") as f:
            f.write(secret)
    cases = []
    def case(alg, secret, kid, expect="ok", signed_as=None):
        token = jwt.encode(claims(), secret, algorithm=signed_as or alg, headers={"kid": kid})
        cases.append(dict(alg=signed_as or alg, kid=kid, token=token, expect=expect))
    for alg in ["RS384", "RS512", "PS256", "PS384", "PS512"]:
        for bits in [2048, 3072, 4096]:
            case(alg, pem(f"rsa{bits}.pem"), f"{alg.lower()}-{bits}-test")
    case("HS384", HS384_SECRET, "hs384-test")
    case("HS512", HS512_SECRET, "hs512-test")
    # The right key material under another algorithm's name.
    case("RS256", pem("rsa2048.pem"), "rs256-2048-test", "AlgMismatch", signed_as="PS256")
    case("RS512", pem("rsa3072.pem"), "rs512-3072-test", "AlgMismatch", signed_as="RS384")
    case("PS256", pem("rsa4096.pem"), "ps256-4096-test", "AlgMismatch", signed_as="PS384")
    case("HS512", HS512_SECRET, "hs512-test", "AlgMismatch", signed_as="HS256")
    with open(os.path.join(HERE, "pyjwt_algorithms.json"), "w") as f:
        json.dump({"generator": f"PyJWT {jwt.__version__}", "now": NOW, "iss": ISS, "aud": AUD,
                   "cases": cases}, f, indent=1)
        f.write("\n")

if __name__ == "__main__":
    main()
