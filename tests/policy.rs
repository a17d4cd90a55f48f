//! Claims and policy semantics: time boundaries (RFC 7519 with leeway), maximum age, `typ`,
//! scopes, issuer and audience sets, the caller's own claims type, and the verified view.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::as_conversions,
    clippy::cast_possible_truncation
)] // Test code: a panic is a failed test.

mod common;

use common::{Signer, mint};
use serde::Deserialize;
use tokengate::{Buffers, Error, Expected, Part, Policy, Verifier, danger};

const T: u64 = 1_767_229_200;

fn claims(extra: &str) -> String {
    let base = r#""iss":"https://issuer.tokengate.test","aud":"door-17""#;
    if extra.is_empty() {
        format!("{{{base}}}")
    } else {
        format!("{{{base},{extra}}}")
    }
}

fn token(extra: &str) -> String {
    mint(Signer::Hs256, r#"{"alg":"HS256"}"#, &claims(extra))
}

fn verifier(policy: Policy<'static>) -> Verifier<'static, 'static> {
    Verifier::new(common::samples().keys(), policy)
}

fn base() -> Policy<'static> {
    Policy::new(
        Expected::Exactly(common::ISS),
        Expected::Exactly(common::AUD),
    )
}

fn at(v: &Verifier<'_, '_>, token: &str, now: u64) -> Result<(), Error> {
    v.verify(token, now, &mut Buffers::<2048>::new())
        .map(|_| ())
}

#[test]
fn exp_boundary_and_leeway() {
    let t = token(&format!(r#""exp":{T}"#));
    let strict = verifier(base());
    assert_eq!(at(&strict, &t, T - 1), Ok(()));
    assert_eq!(at(&strict, &t, T), Err(Error::Expired { now: T, exp: T }));
    let lenient = verifier(base().with_leeway(30));
    assert_eq!(at(&lenient, &t, T + 29), Ok(()));
    assert_eq!(
        at(&lenient, &t, T + 30),
        Err(Error::Expired {
            now: T + 30,
            exp: T
        })
    );
}

#[test]
fn fractional_exp_is_exact() {
    let t = token(&format!(r#""exp":{T}.5"#));
    let v = verifier(base());
    assert_eq!(at(&v, &t, T), Ok(()));
    assert_eq!(
        at(&v, &t, T + 1),
        Err(Error::Expired { now: T + 1, exp: T })
    );
    let t = token(&format!(r#""exp":{}.0"#, T));
    assert_eq!(at(&v, &t, T), Err(Error::Expired { now: T, exp: T }));
    let t = token(r#""exp":1.7672292005e9"#);
    assert_eq!(at(&v, &t, T), Ok(()));
    assert_eq!(
        at(&v, &t, T + 1),
        Err(Error::Expired { now: T + 1, exp: T })
    );
}

#[test]
fn nbf_boundary_and_leeway() {
    let t = token(&format!(r#""exp":{},"nbf":{T}"#, T + 1000));
    let strict = verifier(base());
    assert_eq!(at(&strict, &t, T), Ok(()));
    assert_eq!(
        at(&strict, &t, T - 1),
        Err(Error::NotYetValid { now: T - 1, nbf: T })
    );
    let lenient = verifier(base().with_leeway(30));
    assert_eq!(at(&lenient, &t, T - 30), Ok(()));
    assert_eq!(
        at(&lenient, &t, T - 31),
        Err(Error::NotYetValid {
            now: T - 31,
            nbf: T
        })
    );
    let frac = token(&format!(r#""exp":{},"nbf":{}.5"#, T + 1000, T - 1));
    assert_eq!(
        at(&strict, &frac, T - 1),
        Err(Error::NotYetValid {
            now: T - 1,
            nbf: T - 1
        })
    );
    assert_eq!(at(&strict, &frac, T), Ok(()));
}

#[test]
fn iat_in_the_future_and_max_age() {
    let v = verifier(base());
    let future = token(&format!(r#""exp":{},"iat":{}"#, T + 1000, T + 1));
    assert_eq!(
        at(&v, &future, T),
        Err(Error::IssuedInFuture { now: T, iat: T + 1 })
    );
    assert_eq!(at(&verifier(base().with_leeway(1)), &future, T), Ok(()));

    let old = token(&format!(r#""exp":{},"iat":{}"#, T + 1000, T - 3600));
    assert_eq!(at(&verifier(base().with_max_age(3600)), &old, T), Ok(()));
    assert_eq!(
        at(&verifier(base().with_max_age(3599)), &old, T),
        Err(Error::TooOld {
            now: T,
            iat: T - 3600,
            max_age: 3599
        })
    );
    assert_eq!(
        at(&verifier(base().with_max_age(3599).with_leeway(1)), &old, T),
        Ok(())
    );
    let no_iat = token(&format!(r#""exp":{}"#, T + 1000));
    assert_eq!(at(&v, &no_iat, T), Ok(()));
    assert_eq!(
        at(&verifier(base().with_max_age(60)), &no_iat, T),
        Err(Error::MissingMember {
            part: Part::Claims,
            name: "iat"
        })
    );
}

#[test]
fn exp_required_unless_waived() {
    let t = token("");
    assert_eq!(
        at(&verifier(base()), &t, T),
        Err(Error::MissingMember {
            part: Part::Claims,
            name: "exp"
        })
    );
    assert_eq!(
        at(&verifier(danger::allow_missing_exp(base())), &t, T),
        Ok(())
    );
    // Waiving the requirement does not waive the check of an exp that is present.
    let expired = token(r#""exp":1"#);
    assert_eq!(
        at(&verifier(danger::allow_missing_exp(base())), &expired, T),
        Err(Error::Expired { now: T, exp: 1 })
    );
}

#[test]
fn typ_policy() {
    let v = verifier(base().with_typ("at+jwt"));
    let body = claims(&format!(r#""exp":{}"#, T + 10));
    for (typ, ok) in [
        (Some("at+jwt"), true),
        (Some("application/at+jwt"), true),
        (Some("AT+JWT"), true),
        (Some("JWT"), false),
        (Some("at+jwt "), false),
        (None, false),
    ] {
        let header = match typ {
            Some(t) => format!(r#"{{"alg":"HS256","typ":"{t}"}}"#),
            None => r#"{"alg":"HS256"}"#.to_owned(),
        };
        let outcome = at(&v, &mint(Signer::Hs256, &header, &body), T);
        assert_eq!(
            outcome,
            if ok { Ok(()) } else { Err(Error::WrongType) },
            "{typ:?}"
        );
    }
    // Without a typ policy, any typ (or none) is fine.
    let t = mint(Signer::Hs256, r#"{"alg":"HS256","typ":"whatever"}"#, &body);
    assert_eq!(at(&verifier(base()), &t, T), Ok(()));
}

#[test]
fn scopes_required() {
    let v = verifier(base().with_scopes(&["door:open", "door:status"]));
    let exp = format!(r#""exp":{}"#, T + 10);
    for (scopes, ok) in [
        (r#""scope":"door:open door:status""#, true),
        (r#""scope":"door:status door:open admin""#, true),
        (r#""scope":["door:open","door:status"]"#, true),
        (r#""scp":["door:open","door:status"]"#, true),
        (r#""scope":"door:open","scp":["door:status"]"#, true),
        (r#""scp":"door:open door:status""#, true),
        (r#""scope":"door:open""#, false),
        (r#""scope":"door:opendoor:status""#, false),
        (r#""scope":"Door:Open door:status""#, false),
        (r#""scope":"""#, false),
        (r#""scope":[]"#, false),
        (r#""scopes":"door:open door:status""#, false),
        ("", false),
    ] {
        let extra = if scopes.is_empty() {
            exp.clone()
        } else {
            format!("{exp},{scopes}")
        };
        let outcome = at(&v, &token(&extra), T);
        assert_eq!(
            outcome,
            if ok { Ok(()) } else { Err(Error::MissingScope) },
            "{scopes}"
        );
    }
}

#[test]
fn issuer_and_audience_sets() {
    static ISSUERS: [&str; 2] = ["https://a.example", "https://issuer.tokengate.test"];
    static AUDIENCES: [&str; 2] = ["door-16", "door-17"];
    let v = verifier(Policy::new(
        Expected::AnyOf(&ISSUERS),
        Expected::AnyOf(&AUDIENCES),
    ));
    let t = token(&format!(r#""exp":{}"#, T + 10));
    assert_eq!(at(&v, &t, T), Ok(()));
    let other = mint(
        Signer::Hs256,
        r#"{"alg":"HS256"}"#,
        &format!(
            r#"{{"iss":"https://b.example","aud":"door-16","exp":{}}}"#,
            T + 10
        ),
    );
    assert_eq!(at(&v, &other, T), Err(Error::WrongIssuer));
    let any = verifier(Policy::new(Expected::Any, Expected::Any));
    assert_eq!(at(&any, &other, T), Ok(()));
    let bare = mint(
        Signer::Hs256,
        r#"{"alg":"HS256"}"#,
        &format!(r#"{{"exp":{}}}"#, T + 10),
    );
    assert_eq!(at(&any, &bare, T), Ok(()));
}

/// A PHP issuer escapes `/` (Spooky Services), and JSON may escape anything.
#[test]
fn escaped_strings_are_decoded_into_scratch() {
    let v = verifier(
        Policy::new(
            Expected::Exactly("https://auth.spookysrv.com/oidc/"),
            Expected::Exactly("client/é"),
        )
        .with_scopes(&["door:open"]),
    );
    let body = format!(
        r#"{{"iss":"https:\/\/auth.spookysrv.com\/oidc\/","aud":["x","client\/\u00e9"],"sub":"\ud83d\ude00","exp":{},"scope":["door:open","a\/b"]}}"#,
        T + 10
    );
    let t = mint(
        Signer::Es256,
        r#"{"alg":"ES256","kid":"es256\u002dtest","typ":"JWT"}"#,
        &body,
    );
    let mut buffers = Buffers::<1024>::new();
    let verified = v.verify(&t, T, &mut buffers).unwrap();
    assert_eq!(
        verified.claims().iss(),
        Some("https://auth.spookysrv.com/oidc/")
    );
    assert_eq!(verified.claims().sub(), Some("😀"));
    assert_eq!(
        verified.claims().aud().iter().collect::<Vec<_>>(),
        ["x", "client/é"]
    );
    assert_eq!(
        verified.claims().scopes().iter().collect::<Vec<_>>(),
        ["door:open", "a/b"]
    );
    assert_eq!(verified.header().kid(), Some("es256-test"));
    assert_eq!(verified.header().typ(), Some("JWT"));
    assert!(verified.has_scope("a/b"));
    assert!(verified.claims_json().contains(r#"https:\/\/auth"#));
}

#[derive(Deserialize, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
struct OSpike<'a> {
    client_id: &'a str,
    sub: heapless::String<64>,
    scope: heapless::Vec<&'a str, 8>,
}

#[test]
fn caller_claims_type() {
    let v = verifier(base());
    let t = token(&format!(
        r#""exp":{},"clientId":"PPoqk_e231","sub":"svc\/1","scope":["read","write"],"extra":{{"deep":[1,2,{{"x":null}}]}}"#,
        T + 10
    ));
    let mut buffers = Buffers::<1024>::new();
    {
        let verified = v
            .verify_with_claims::<OSpike<'_>, 1024>(&t, T, &mut buffers)
            .unwrap();
        assert_eq!(verified.custom().client_id, "PPoqk_e231");
        assert_eq!(verified.custom().sub.as_str(), "svc/1");
        assert_eq!(&verified.custom().scope[..], ["read", "write"]);
        // Registered claims still come through the verified view.
        assert_eq!(verified.claims().sub(), Some("svc/1"));
    }

    // A claims type the token does not match.
    #[derive(Deserialize, Debug)]
    #[allow(dead_code)]
    struct NeedsName<'a> {
        name: &'a str,
    }
    assert_eq!(
        v.verify_with_claims::<NeedsName<'_>, 1024>(&t, T, &mut buffers)
            .map(|_| ()),
        Err(Error::CustomClaims)
    );
    // Policy errors come first: the caller's type is only read from tokens that passed.
    let expired = token(r#""exp":1,"clientId":"x""#);
    assert_eq!(
        v.verify_with_claims::<NeedsName<'_>, 1024>(&expired, T, &mut buffers)
            .map(|_| ()),
        Err(Error::Expired { now: T, exp: 1 })
    );
}

#[test]
fn verify_jws_ignores_claims_and_policy() {
    let v = verifier(base());
    let t = mint(Signer::Rs256(2048), r#"{"alg":"RS256"}"#, "not json at all");
    let mut buffers = Buffers::<1024>::new();
    let jws = v.verify_jws(&t, &mut buffers).unwrap();
    assert_eq!(jws.payload(), b"not json at all");
    assert_eq!(jws.header().alg(), tokengate::Alg::Rs256);
    assert_eq!(at(&v, &t, T), Err(Error::Json { part: Part::Claims }));
}

#[test]
fn tight_buffers_still_decode_escapes() {
    let v = verifier(base());
    // The scratch half of the buffers is as large as the data half, and decoding never grows a
    // string, so any token that fits also has room for its decoded strings.
    let body = format!(
        r#""exp":{},"sub":"{}","jti":"{}""#,
        T + 10,
        "\\u0041".repeat(40),
        "\\/".repeat(30)
    );
    let t = token(&body);
    let needed = 15 + claims(&body).len();
    assert_eq!(needed, 405);
    let mut exact = Buffers::<405>::new();
    let verified = v.verify(&t, T, &mut exact).unwrap();
    assert_eq!(verified.claims().sub(), Some("A".repeat(40).as_str()));
    assert_eq!(verified.claims().jti(), Some("/".repeat(30).as_str()));
    let mut short = Buffers::<404>::new();
    assert_eq!(
        v.verify(&t, T, &mut short).map(|_| ()),
        Err(Error::TooLarge {
            needed: 405,
            capacity: 404
        })
    );
}
