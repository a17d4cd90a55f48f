#!/usr/bin/env python3
"""Mints the tokens of the firmware's command script with PyJWT, from the sample keys in
tests/data/keys/ (and, for EdDSA, RFC 8037 Appendix A.1's Ed25519 key). Run by hand; its
outputs are committed data and CI never runs it.

  make_tokens.py            mint every token
  make_tokens.py NAME...    mint only these (e.g. valid-eddsa): ES256 and PS256 signatures are
                            randomized, so re-minting the others would change committed files

Outputs, one compact JWT per file, newline-terminated:
  valid-es256.jwt  valid-rs256-2048.jwt  valid-rs256-4096.jwt  valid-hs256.jwt
  valid-eddsa.jwt  valid-ps256-2048.jwt (the RSA-2048 sample key, provisioned for PS256 too)
  expired.jwt        HS256, exp one second before the device's clock
  wrong-aud.jwt      RS256-2048, aud door-18
  missing-scope.jwt  ES256, scope door:status only
  bad-signature.jwt  ES256, one signature character changed (still canonical base64url)
  malformed.jwt      two segments
  deep.jwt           ES256, valid signature, claims nest an array DEPTH levels deep
  later-hs256.jwt    HS256, issued an hour after NOW: it moves the device's clock forward
  short-lived.jwt    ES256, expires half an hour after NOW: valid until the clock moves
  ps256-for-rs256-key.jwt
                     PS256 by the RSA-2048 key, validly signed, but naming its RS256 binding's
                     kid: the key is bound to RS256, so the device refuses it (AlgMismatch)

Every token has its own jti (its file name), so the replay guard tells them apart.

Claims: iss https://issuer.tokengate.test, aud door-17, iat 2026-01-01T00:00:00Z, exp
2100-01-01T00:00:00Z. The firmware's trusted clock reads NOW = iat + 1 h.
Requires: pip install pyjwt cryptography (PyJWT 2.x), or Debian's python3-jwt.
"""
import base64
import os
import sys

import jwt
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

HERE = os.path.dirname(os.path.abspath(__file__))
KEYS = os.path.join(HERE, "..", "..", "..", "tests", "data", "keys")
ISS = "https://issuer.tokengate.test"
AUD = "door-17"
IAT = 1767225600          # 2026-01-01T00:00:00Z
NOW = IAT + 3600          # the device's trusted clock in the script (gate/src/provisioned.rs)
EXP = 4102444800          # 2100-01-01T00:00:00Z
# Nesting depth of the deep token. Its decoded header and payload must fit the firmware's
# Buffers capacity (gate/src/provisioned.rs CAPACITY, 2560 bytes, bounded by the micro:bit's
# 16 KiB of RAM): 2 bytes per level plus about 230.
DEPTH = 1100

def key(name):
    with open(os.path.join(KEYS, name), "rb") as f:
        return f.read()

# RFC 8037 Appendix A.1's Ed25519 private key (test vector: public by definition); its public
# key (A.2) is ED25519_PUBLIC in gate/src/provisioned.rs.
ED25519_D = "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A"

def ed25519_key():
    return Ed25519PrivateKey.from_private_bytes(base64.urlsafe_b64decode(ED25519_D + "="))

SIGNERS = {
    "ES256": (key("es256.pem"), "es256-test"),
    "RS256-2048": (key("rsa2048.pem"), "rs256-2048-test"),
    "RS256-4096": (key("rsa4096.pem"), "rs256-4096-test"),
    "HS256": (key("hs256.secret"), "hs256-test"),
    "EdDSA": (ed25519_key(), "ed25519-test"),
    "PS256-2048": (key("rsa2048.pem"), "ps256-2048-test"),
}

def claims(**extra):
    c = {"iss": ISS, "sub": "device-operator", "aud": AUD, "iat": IAT, "exp": EXP,
         "scope": "door:open door:status", "jti": "fw-1"}
    c.update(extra)
    return {k: v for k, v in c.items() if v is not None}

def mint(signer, payload, jti, kid=None):
    payload = dict(payload, jti=jti)
    pem, own_kid = SIGNERS[signer]
    return jwt.encode(payload, pem, algorithm=signer.split("-")[0],
                      headers={"kid": kid or own_kid})

def tamper(token):
    """Changes one character in the middle of the signature: the unused trailing bits of the
    last character stay zero, so the segment is still canonical base64url."""
    head, sig = token.rsplit(".", 1)
    i = len(sig) // 2
    sig = sig[:i] + ("A" if sig[i] != "A" else "B") + sig[i + 1:]
    return head + "." + sig

def deep():
    """Claims that PyJWT cannot build from a dict: the nesting goes straight into the JSON."""
    import json
    body = json.dumps(claims(jti="deep"), separators=(",", ":"))[:-1]
    body += ',"nest":' + "[" * DEPTH + "]" * DEPTH + "}"
    pem, kid = SIGNERS["ES256"]
    return jwt.api_jws.encode(body.encode(), pem, algorithm="ES256",
                              headers={"kid": kid, "typ": "JWT"})

def main():
    mints = {
        "valid-es256": lambda: mint("ES256", claims(), "valid-es256"),
        "valid-rs256-2048": lambda: mint("RS256-2048", claims(), "valid-rs256-2048"),
        "valid-rs256-4096": lambda: mint("RS256-4096", claims(), "valid-rs256-4096"),
        "valid-hs256": lambda: mint("HS256", claims(), "valid-hs256"),
        "expired": lambda: mint("HS256", claims(exp=NOW - 1), "expired"),
        "wrong-aud": lambda: mint("RS256-2048", claims(aud="door-18"), "wrong-aud"),
        "missing-scope": lambda: mint("ES256", claims(scope="door:status"), "missing-scope"),
        "bad-signature": lambda: tamper(mint("ES256", claims(), "bad-signature")),
        "malformed": lambda: ".".join(mint("ES256", claims(), "malformed").split(".")[:2]),
        "deep": deep,
        "later-hs256": lambda: mint("HS256", claims(iat=NOW + 3600), "later-hs256"),
        "short-lived": lambda: mint("ES256", claims(exp=NOW + 1800), "short-lived"),
        "valid-eddsa": lambda: mint("EdDSA", claims(), "valid-eddsa"),
        "valid-ps256-2048": lambda: mint("PS256-2048", claims(), "valid-ps256-2048"),
        "ps256-for-rs256-key": lambda: mint("PS256-2048", claims(), "ps256-for-rs256-key",
                                            kid=SIGNERS["RS256-2048"][1]),
    }
    names = sys.argv[1:] or list(mints)
    unknown = [n for n in names if n not in mints]
    if unknown:
        sys.exit(f"unknown token(s): {' '.join(unknown)}; known: {' '.join(mints)}")
    for name in names:
        token = mints[name]()
        with open(os.path.join(HERE, name + ".jwt"), "w") as f:
            f.write(token + "\n")
        print(f"{name}.jwt: {len(token)} characters")

if __name__ == "__main__":
    main()
