//! One end-to-end test per issuer in ../shared/seeds: a token in that issuer's exact shape,
//! minted by `tokengate mint` from the library's test keys (tests/data/keys), provisioned the
//! way the issuer publishes its keys, and checked by `tokengate verify`.

// Test code: a failed expectation is a panic with a message.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::*;
use serde_json::json;

/// OSpike (000_): RS256 access tokens; the public key is published both as
/// `/.well-known/publickey.pem` and as an X.509 `/.well-known/certificate.pem`; claims
/// `clientId`, `aud`, `sub`, `scope` (a JSON array), `iat`, `exp`, `iss`; `/oauth2/tokeninfo`
/// answers `{"active": true, ...those claims}`, which `verify` reproduces locally.
#[test]
fn ospike_rs256_from_publickey_pem_and_certificate_pem() {
    let dir = scratch("ospike");
    // The files as OSpike serves them (here: the RSA-2048 test key and its certificate).
    let publickey = write(
        &dir,
        "publickey.pem",
        std::fs::read(root().join(data("keys/rsa2048.pub.pem"))).unwrap(),
    );
    let certificate = write(
        &dir,
        "certificate.pem",
        std::fs::read(root().join(data("keys/rsa2048.cert.pem"))).unwrap(),
    );
    let claims = r#"{"clientId":"ospike-client-7","aud":"door-controller","sub":"device-operator","scope":["door:open","door:status"],"iat":1767225600,"exp":1767229200,"iss":"https://ospike.tokengate.test:1337"}"#;
    // OSpike signs with jsonwebtoken's defaults: RS256, typ JWT, no kid.
    let token = mint(&[
        "--alg",
        "RS256",
        "--key",
        &data("keys/rsa2048.pem"),
        "--claims",
        claims,
    ]);

    let expected = json!({
        "active": true,
        "clientId": "ospike-client-7",
        "aud": "door-controller",
        "sub": "device-operator",
        "scope": ["door:open", "door:status"],
        "iat": 1767225600,
        "exp": 1767229200,
        "iss": "https://ospike.tokengate.test:1337",
    });
    for key in [&publickey, &certificate] {
        let run = cli_with_stdin(
            &[
                "verify",
                "--key",
                key,
                "--iss",
                "https://ospike.tokengate.test:1337",
                "--aud",
                "door-controller",
                "--require-scope",
                "door:open",
                "--now",
                "1767225700",
                "-",
            ],
            token.as_bytes(),
        );
        assert_eq!(run.code, 0, "{key}: {run:#?}");
        assert!(run.stderr.is_empty(), "{run:#?}");
        assert_eq!(run.json(), expected, "{key}");
        assert_eq!(
            member_names(&run.json()),
            [
                "active", "clientId", "aud", "sub", "scope", "iat", "exp", "iss"
            ],
            "the tokeninfo shape: active, then the claims in token order"
        );
        // Past exp, tokeninfo says `{"active": false}`, and so does verify.
        cli_with_stdin(
            &["verify", "--key", key, "--now", "1767229200", "-"],
            token.as_bytes(),
        )
        .assert_rejected("token expired: now 1767229200, exp 1767229200");
        // A scope OSpike did not grant.
        cli_with_stdin(
            &[
                "verify",
                "--key",
                key,
                "--require-scope",
                "door:admin",
                "--now",
                "1767225700",
                "-",
            ],
            token.as_bytes(),
        )
        .assert_rejected("a required scope is not granted");
    }

    // Provisioned for firmware from either file: the same key material.
    let from_pem = cli(&["keys", "import", "--pem", &publickey]);
    let from_cert = cli(&["keys", "import", "--cert", &certificate]);
    assert_eq!(from_pem.code, 0, "{from_pem:#?}");
    assert_eq!(from_cert.code, 0, "{from_cert:#?}");
    let body = |source: &str| {
        source
            .lines()
            .filter(|l| !l.starts_with("//"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(body(&from_pem.stdout), body(&from_cert.stdout));
    assert!(from_pem.stdout.contains("static KEY_0: tokengate::Rsa2048"));
    assert!(
        from_cert
            .stdout
            .contains("(subject CN=tokengate test issuer, valid until 2035-12-30T00:00:00Z)")
    );
}

/// Spooky Services (001_): an ES256 OIDC `id_token`, one ES256 key published as a JWK Set at
/// `/oidc/.well-known/jwks.json`; `iss` must equal `https://auth.spookysrv.com/oidc/` (which
/// the PHP issuer writes with `\/` escapes), `aud` the client id, `exp` not passed.
#[test]
fn spooky_es256_id_token_through_jwks() {
    let dir = scratch("spooky");
    let sample: serde_json::Value =
        serde_json::from_slice(&std::fs::read(root().join(data("keys/jwks.json"))).unwrap())
            .unwrap();
    let mut key = sample["keys"][0].clone();
    key["kid"] = json!("spooky-es256-1");
    let jwks = write(&dir, "jwks.json", json!({"keys": [key]}).to_string());

    let client_id = "5ScKa4HaYEFo8uWEKo7O0Vb9nSjxZzigKsTdliBP06M";
    // PHP's json_encode escapes every `/`.
    let claims = format!(
        r#"{{"iss":"https:\/\/auth.spookysrv.com\/oidc\/","sub":"1024","aud":"{client_id}","iat":1767225600,"exp":1767229200,"name":"spooky-user"}}"#
    );
    let token = mint(&[
        "--alg",
        "ES256",
        "--key",
        &data("keys/es256.pem"),
        "--kid",
        "spooky-es256-1",
        "--claims",
        &claims,
    ]);
    assert!(payload_text(&token).contains(r#""iss":"https:\/\/auth.spookysrv.com\/oidc\/""#));

    let verify = |iss: &str, aud: &str, now: &str| {
        cli_with_stdin(
            &[
                "verify", "--jwks", &jwks, "--iss", iss, "--aud", aud, "--now", now, "-",
            ],
            token.as_bytes(),
        )
    };
    let run = verify("https://auth.spookysrv.com/oidc/", client_id, "1767225700");
    assert_eq!(run.code, 0, "{run:#?}");
    assert!(run.stderr.is_empty(), "{run:#?}");
    assert_eq!(
        run.json(),
        json!({
            "active": true,
            "iss": "https://auth.spookysrv.com/oidc/",
            "sub": "1024",
            "aud": client_id,
            "iat": 1767225600,
            "exp": 1767229200,
            "name": "spooky-user",
        })
    );
    verify("https://auth.spookysrv.com/oidc", client_id, "1767225700")
        .assert_rejected("wrong issuer");
    verify(
        "https://auth.spookysrv.com/oidc/",
        "another-client",
        "1767225700",
    )
    .assert_rejected("wrong audience");
    verify("https://auth.spookysrv.com/oidc/", client_id, "1767229200")
        .assert_rejected("token expired: now 1767229200, exp 1767229200");
    // A token naming a kid the set does not have.
    let stranger = mint(&[
        "--alg",
        "ES256",
        "--key",
        &data("keys/es256.pem"),
        "--kid",
        "rotated-away",
        "--claims",
        &claims,
    ]);
    cli_with_stdin(
        &["verify", "--jwks", &jwks, "--now", "1767225700", "-"],
        stranger.as_bytes(),
    )
    .assert_rejected("no provisioned key has the token's kid");
}

/// The sample access token printed in SpatiaFi's docs (002_), copied verbatim. HS256, secret
/// unknown, `exp` 1571504193 (2019-10-19).
const SPATIAFI_SAMPLE: &str = "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.eyJ1c2VyX2lkIjoiOTIyMWZmYzktNjQwZi00MzcyLTg2ZDMtY2U2NDJjYmE1NjAzIiwiYXVkIjoiZmFzdGFwaS11c2VyczphdXRoIiwiZXhwIjoxNTcxNTA0MTkzfQ.M10bjOe45I5Ncu_uXvOmVV8QxnL-nZfcH96U90JaocI";

/// SpatiaFi (002_): fastapi-users HS256 tokens with `user_id`, `aud` `fastapi-users:auth`,
/// `exp`. The published sample decodes with `inspect` and is rejected by `verify`: with our key
/// its signature fails; a token of the same shape under our key is rejected as expired.
#[test]
fn spatiafi_hs256_sample_token() {
    let inspected = cli(&["inspect", SPATIAFI_SAMPLE]);
    assert_eq!(inspected.code, 0, "{inspected:#?}");
    assert!(inspected.stderr.contains("UNVERIFIED"), "{inspected:#?}");
    assert_eq!(
        inspected.json(),
        json!({
            "verified": false,
            "warning": "UNVERIFIED: decoded only; the signature, issuer, audience and times were NOT checked",
            "header": {"typ": "JWT", "alg": "HS256"},
            "claims": {
                "user_id": "9221ffc9-640f-4372-86d3-ce642cba5603",
                "aud": "fastapi-users:auth",
                "exp": 1571504193,
            },
            "dates_utc": {"exp": "2019-10-19T16:56:33Z"},
            "signature_bytes": 32,
        })
    );

    let secret = data("keys/hs256.secret");
    // Wrong key: the signature check comes first, whatever the clock says.
    for now in ["1571504000", "1767225600"] {
        cli(&[
            "verify",
            "--hs256-secret-file",
            &secret,
            "--aud",
            "fastapi-users:auth",
            "--now",
            now,
            SPATIAFI_SAMPLE,
        ])
        .assert_rejected("signature did not verify");
    }

    // The same shape under the test secret: valid before exp, expired after.
    let claims = payload_text(SPATIAFI_SAMPLE);
    assert_eq!(
        claims,
        r#"{"user_id":"9221ffc9-640f-4372-86d3-ce642cba5603","aud":"fastapi-users:auth","exp":1571504193}"#
    );
    let ours = mint(&["--alg", "HS256", "--key", &secret, "--claims", &claims]);
    let verify = |now: Option<&str>| {
        let mut args = vec![
            "verify",
            "--hs256-secret-file",
            secret.as_str(),
            "--aud",
            "fastapi-users:auth",
        ];
        if let Some(now) = now {
            args.extend(["--now", now]);
        }
        args.push("-");
        cli_with_stdin(&args, ours.as_bytes())
    };
    let valid = verify(Some("1571504000"));
    assert_eq!(valid.code, 0, "{valid:#?}");
    assert_eq!(
        valid.json()["user_id"],
        json!("9221ffc9-640f-4372-86d3-ce642cba5603")
    );
    // On the system clock, long expired.
    let expired = verify(None);
    assert_eq!(expired.code, 1, "{expired:#?}");
    let reason = expired.stderr.trim_end();
    assert!(
        reason.starts_with("tokengate: rejected: token expired: now ")
            && reason.ends_with(", exp 1571504193"),
        "{reason}"
    );
}

/// The bearer token printed in Fusio's docs (003_), copied verbatim: HS256 with `sub`, `iat`,
/// `exp`, `name`.
const FUSIO_SAMPLE: &str = "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI5N2JkNDUzYjdlMDZlOWFlMDQxNi00YmY2MWFiYjg4MDJjZmRmOWZmN2UyNDg4OTNmNzYyYmU5Njc5MGUzYTk4NDQ3MDEtYjNkYTk1MDYyNCIsImlhdCI6MTQ5MTE2NzIzNiwiZXhwIjoxNDkxMTcwODM2LCJuYW1lIjoidGVzdCJ9.T49Af5wnPIFYbPer3rOn-KV5PcN0FLcBVykUMCIAuwI";

/// Fusio (003_): HS256 bearer tokens with `sub`, `iat`, `exp`, `name`, and the scopes the
/// user's role grants; `--require-scope` allows and denies accordingly.
#[test]
fn fusio_hs256_bearer_with_scopes() {
    let sample = payload_text(FUSIO_SAMPLE);
    assert_eq!(
        sample,
        r#"{"sub":"97bd453b7e06e9ae0416-4bf61abb8802cfdf9ff7e248893f762be96790e3a9844701-b3da950624","iat":1491167236,"exp":1491170836,"name":"test"}"#
    );
    // Fusio's shape, plus the role's scopes (the Consumer role here).
    let claims = r#"{"sub":"97bd453b7e06e9ae0416-4bf61abb8802cfdf9ff7e248893f762be96790e3a9844701-b3da950624","iat":1491167236,"exp":1491170836,"name":"test","scope":"consumer consumer.app authorization"}"#;
    let secret = data("keys/hs256.secret");
    let token = mint(&["--alg", "HS256", "--key", &secret, "--claims", claims]);
    let verify = |scopes: &[&str]| {
        let mut args = vec![
            "verify",
            "--hs256-secret-file",
            secret.as_str(),
            "--now",
            "1491168000",
        ];
        for scope in scopes {
            args.extend(["--require-scope", scope]);
        }
        args.push("-");
        cli_with_stdin(&args, token.as_bytes())
    };
    let allowed = verify(&["consumer"]);
    assert_eq!(allowed.code, 0, "{allowed:#?}");
    assert_eq!(
        allowed.json(),
        json!({
            "active": true,
            "sub": "97bd453b7e06e9ae0416-4bf61abb8802cfdf9ff7e248893f762be96790e3a9844701-b3da950624",
            "iat": 1491167236,
            "exp": 1491170836,
            "name": "test",
            "scope": "consumer consumer.app authorization",
        })
    );
    assert_eq!(verify(&["consumer", "authorization"]).code, 0);
    verify(&["backend"]).assert_rejected("a required scope is not granted");
    // Scopes match whole words only.
    verify(&["consumer.ap"]).assert_rejected("a required scope is not granted");
    verify(&["consumer", "backend.account"]).assert_rejected("a required scope is not granted");

    // The published sample itself: decodes, and fails our key.
    let inspected = cli(&["inspect", FUSIO_SAMPLE]);
    assert_eq!(inspected.code, 0, "{inspected:#?}");
    assert_eq!(
        inspected.json()["dates_utc"],
        json!({"iat": "2017-04-02T21:07:16Z", "exp": "2017-04-02T22:07:16Z"})
    );
    cli(&["verify", "--hs256-secret-file", &secret, FUSIO_SAMPLE])
        .assert_rejected("signature did not verify");
}
