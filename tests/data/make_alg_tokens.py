#!/usr/bin/env python3
"""Mints one token per JWS algorithm and key with PyJWT, a third-party JOSE implementation.

Output (committed; it is data): pyjwt_algorithms.json, the cases of
tests/third_party.rs::pyjwt_every_algorithm: each token with its algorithm, the `kid` of the key
that verifies it, and the outcome tokengate must give. The RSA keys are the sample keys of keys/
(each `kid` names the one algorithm its key is provisioned for); the HMAC secrets are the 48-
and 64-byte test secrets of tests/common (written to keys/hs384.secret and keys/hs512.secret).

ES384 uses the ES384 test key of tests/common (its scalar is the SHA-384 of "tokengate ES384
test key"), EdDSA the Ed25519 key of RFC 8037 Appendix A.1, under both header names (`EdDSA`,
and `Ed25519` of RFC 9864).

Cross-algorithm cases: a PS256 token whose `kid` names the same modulus provisioned for RS256,
an RS384 token for the RS512 key, a PS384 token for the PS256 key, an HS256 token (from the
HS512 secret) for the HS512 key, an ES384 token for the ES256 key, an EdDSA token for the ES384
key: each must be `AlgMismatch`.

Claims as make_tokens.py. Requires: pip install pyjwt cryptography (PyJWT 2.x).
"""
import base64, hashlib, json, os
import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
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
    d384 = int.from_bytes(hashlib.sha384(b"tokengate ES384 test key").digest(), "big")
    es384 = ec.derive_private_key(d384, ec.SECP384R1())
    case("ES384", es384, "es384-test")
    d = base64.urlsafe_b64decode("nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A=")
    ed = ed25519.Ed25519PrivateKey.from_private_bytes(d)
    case("EdDSA", ed, "ed25519-test")
    # RFC 9864's fully-specified name, which PyJWT does not know: the same key signs with
    # pyca/cryptography directly.
    b64 = lambda b: base64.urlsafe_b64encode(b).rstrip(b"=").decode()
    header = b64(json.dumps({"alg": "Ed25519", "kid": "ed25519-test"}).encode())
    payload = b64(json.dumps(claims()).encode())
    signature = b64(ed.sign(f"{header}.{payload}".encode()))
    cases.append(dict(alg="Ed25519", kid="ed25519-test", token=f"{header}.{payload}.{signature}",
                      expect="ok"))
    case("HS384", HS384_SECRET, "hs384-test")
    case("HS512", HS512_SECRET, "hs512-test")
    # The right key material under another algorithm's name.
    case("RS256", pem("rsa2048.pem"), "rs256-2048-test", "AlgMismatch", signed_as="PS256")
    case("RS512", pem("rsa3072.pem"), "rs512-3072-test", "AlgMismatch", signed_as="RS384")
    case("PS256", pem("rsa4096.pem"), "ps256-4096-test", "AlgMismatch", signed_as="PS384")
    case("HS512", HS512_SECRET, "hs512-test", "AlgMismatch", signed_as="HS256")
    case("ES256", es384, "es256-test", "AlgMismatch", signed_as="ES384")
    case("ES384", ed, "es384-test", "AlgMismatch", signed_as="EdDSA")
    with open(os.path.join(HERE, "pyjwt_algorithms.json"), "w") as f:
        json.dump({"generator": f"PyJWT {jwt.__version__}", "now": NOW, "iss": ISS, "aud": AUD,
                   "cases": cases}, f, indent=1)
        f.write("\n")

if __name__ == "__main__":
    main()
