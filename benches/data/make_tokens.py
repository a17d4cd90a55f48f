#!/usr/bin/env python3
"""Mints the benchmark tokens with PyJWT, from the sample keys in ../../tests/data/keys/ and the
test keys of tests/data/make_alg_tokens.py. The benchmarks check each library against the bad
tokens before timing it, so a library whose issuer, audience or expiry check is off cannot be
timed.

Outputs (committed; they are data):
  tokens.json    {algorithm: {case: token}}, the tokens every library must reject, for every
                 benchmarked algorithm: wrong-iss, wrong-aud, expired (an hour before the
                 benchmarks' clock, and long before any real clock) and no-exp.
  samples.json   {algorithm: {...}} for the algorithms whose valid sample token is not in
                 tests/data/tokens/ (all but HS256, ES256, RS256-2048 and RS256-4096): the JWS
                 `alg`, the `kid`, the valid token, and the public key as the libraries read it
                 (`pem`: SubjectPublicKeyInfo PEM; `raw`: hex of the SEC1 point for ES384 or of
                 the 32-byte key for Ed25519; `secret`: the file under tests/data/keys/ for HMAC;
                 `jwk`: the kid of tests/data/keys/jwks.json whose RSA key it is).

Keys of the other algorithms: RS384, RS512, PS256, PS384 and PS512 use the 2048-bit sample RSA
key; HS384 and HS512 the 48- and 64-byte secrets of tests/data/keys/; ES384 the ES384 test key
of tests/common (scalar: SHA-384 of "tokengate ES384 test key"); EdDSA the Ed25519 key of RFC 8037
Appendix A.1. Claims are those of tests/data/tokens/*.jwt.
Requires: pip install pyjwt cryptography (PyJWT 2.x).
"""
import base64, hashlib, json, os
import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519

HERE = os.path.dirname(os.path.abspath(__file__))
KEYS = os.path.join(HERE, "..", "..", "tests", "data", "keys")
ISS = "https://issuer.tokengate.test"
AUD = "door-17"
IAT = 1767225600          # 2026-01-01T00:00:00Z
EXP = 4102444800          # 2100-01-01T00:00:00Z

def key(name):
    with open(os.path.join(KEYS, name), "rb") as f:
        return f.read()

ES384 = ec.derive_private_key(
    int.from_bytes(hashlib.sha384(b"tokengate ES384 test key").digest(), "big"), ec.SECP384R1())
ED25519 = ed25519.Ed25519PrivateKey.from_private_bytes(
    base64.urlsafe_b64decode("nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A="))

def public_pem(private):
    return private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()

# name: (JWS alg, signing key, kid, public key as the libraries read it (None: the sample key of
# tests/data/keys/ that the benchmarks already load)).
SIGNERS = {
    "hs256": ("HS256", key("hs256.secret"), "hs256-test", None),
    "es256": ("ES256", key("es256.pem"), "es256-test", None),
    "rs256-2048": ("RS256", key("rsa2048.pem"), "rs256-2048-test", None),
    "rs256-4096": ("RS256", key("rsa4096.pem"), "rs256-4096-test", None),
    "hs384": ("HS384", key("hs384.secret"), "hs384-test", {"secret": "hs384.secret"}),
    "hs512": ("HS512", key("hs512.secret"), "hs512-test", {"secret": "hs512.secret"}),
    "es384": ("ES384", ES384, "es384-test", {
        "pem": public_pem(ES384),
        "raw": ES384.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint).hex()}),
    "eddsa": ("EdDSA", ED25519, "ed25519-test", {
        "pem": public_pem(ED25519),
        "raw": ED25519.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw).hex()}),
}
for alg in ["RS384", "RS512", "PS256", "PS384", "PS512"]:
    SIGNERS[f"{alg.lower()}-2048"] = (alg, key("rsa2048.pem"), f"{alg.lower()}-2048-test",
                                      {"pem": key("rsa2048.pub.pem").decode(),
                                       "jwk": "rs256-2048-test"})

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
    bad, samples = {}, {}
    for name, (alg, signer, kid, public) in SIGNERS.items():
        mint = lambda c: jwt.encode(c, signer, algorithm=alg, headers={"kid": kid, "typ": "JWT"})
        bad[name] = {case: mint(c) for case, c in CASES.items()}
        if public is not None:
            samples[name] = dict(alg=alg, kid=kid, token=mint(claims()), **public)
    for file, doc in [("tokens.json", bad), ("samples.json", samples)]:
        with open(os.path.join(HERE, file), "w") as f:
            json.dump(doc, f, indent=1, sort_keys=True)
            f.write("\n")

if __name__ == "__main__":
    main()
