#!/usr/bin/env python3
"""Mints tokens with PyJWT, a third-party JOSE implementation, from the keys in keys/.

Outputs (committed; they are data):
  tokens/*.jwt          one valid sample token per algorithm, for the README and the examples
  pyjwt_tokens.json     cases for tests/third_party.rs: each token with what tokengate must say

Claims: issuer https://issuer.tokengate.test, audience door-17, scope door:open, issued
2026-01-01T00:00:00Z, expiring 2100-01-01T00:00:00Z. Tests verify at 2026-01-01T01:00:00Z.
Requires: pip install pyjwt cryptography (PyJWT 2.x).
"""
import json, os
import jwt

HERE = os.path.dirname(os.path.abspath(__file__))
KEYS = os.path.join(HERE, "keys")
ISS = "https://issuer.tokengate.test"
AUD = "door-17"
IAT = 1767225600          # 2026-01-01T00:00:00Z
NOW = IAT + 3600          # the clock the tests use
EXP = 4102444800          # 2100-01-01T00:00:00Z

def key(name):
    with open(os.path.join(KEYS, name), "rb") as f:
        return f.read()

SIGNERS = {
    "ES256": (key("es256.pem"), "es256-test"),
    "RS256-2048": (key("rsa2048.pem"), "rs256-2048-test"),
    "RS256-3072": (key("rsa3072.pem"), "rs256-3072-test"),
    "RS256-4096": (key("rsa4096.pem"), "rs256-4096-test"),
    "HS256": (key("hs256.secret"), "hs256-test"),
}

def claims(**extra):
    c = {"iss": ISS, "sub": "device-operator", "aud": AUD, "iat": IAT, "exp": EXP,
         "scope": "door:open door:status", "jti": "sample-1"}
    c.update(extra)
    return {k: v for k, v in c.items() if v is not None}

def mint(signer, payload, kid=True, headers=None):
    pem, key_id = SIGNERS[signer]
    h = dict(headers or {})
    if kid:
        h["kid"] = key_id
    return jwt.encode(payload, pem, algorithm=signer.split("-")[0], headers=h)

def main():
    os.makedirs(os.path.join(HERE, "tokens"), exist_ok=True)
    for signer in SIGNERS:
        with open(os.path.join(HERE, "tokens", signer.lower() + ".jwt"), "w") as f:
            f.write(mint(signer, claims()) + "\n")

    cases = []
    def case(name, token, expect, **fields):
        cases.append(dict(name=name, token=token, expect=expect, **fields))

    for signer in SIGNERS:
        case(f"{signer} with kid", mint(signer, claims()), "ok", alg=signer.split("-")[0])
        case(f"{signer} without kid", mint(signer, claims(), kid=False), "ok", alg=signer.split("-")[0])
    case("aud array", mint("ES256", claims(aud=["other", AUD])), "ok")
    case("aud array without ours", mint("ES256", claims(aud=["other", "door-18"])), "WrongAudience")
    case("scope as array", mint("RS256-2048", claims(scope=["door:open", "door:status"])), "ok")
    case("scp as string", mint("HS256", claims(scope=None, scp="door:open")), "ok")
    case("typ at+jwt", mint("ES256", claims(), headers={"typ": "at+jwt"}), "ok", typ="at+jwt")
    case("fractional exp", mint("HS256", claims(exp=EXP + 0.5)), "ok")
    case("fractional iat", mint("HS256", claims(iat=IAT + 0.25)), "ok")
    case("expired", mint("ES256", claims(exp=NOW - 1)), "Expired", exp=NOW - 1)
    case("expires exactly now", mint("RS256-2048", claims(exp=NOW)), "Expired", exp=NOW)
    case("not yet valid", mint("HS256", claims(nbf=NOW + 60)), "NotYetValid", nbf=NOW + 60)
    case("issued in the future", mint("HS256", claims(iat=NOW + 60)), "IssuedInFuture", iat=NOW + 60)
    case("wrong issuer", mint("ES256", claims(iss=ISS + "/")), "WrongIssuer")
    case("issuer differs in case", mint("ES256", claims(iss=ISS.upper())), "WrongIssuer")
    case("wrong audience", mint("RS256-4096", claims(aud="door-18")), "WrongAudience")
    case("no exp", mint("ES256", claims(exp=None)), "MissingMember", member="exp")
    case("no scope", mint("ES256", claims(scope=None)), "MissingScope")
    case("embedded jwk ignored", mint("ES256", claims(), headers={
        "jwk": {"kty": "EC", "crv": "P-256", "x": "AAAA", "y": "AAAA"},
        "jku": "https://attacker.example/jwks.json"}), "ok")
    with open(os.path.join(HERE, "pyjwt_tokens.json"), "w") as f:
        json.dump({"generator": f"PyJWT {jwt.__version__}", "now": NOW, "iss": ISS, "aud": AUD,
                   "scope": "door:open", "cases": cases}, f, indent=1)
        f.write("\n")

if __name__ == "__main__":
    main()
