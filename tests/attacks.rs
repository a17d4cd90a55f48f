//! One named test per known attack on JWT verifiers, each asserting the exact error.
//! Tokens are minted byte-exact with the sample keys (tests/data/keys), so every rejection here
//! is for the reason named, not for a bad signature.
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

use common::{AUD, ISS, NOW, Signer, mint, mint_raw};
use tokengate::{Alg, Buffers, Error, Expected, Key, Part, Policy, Segment, Verifier};

const CLAIMS: &str = r#"{"iss":"https://issuer.tokengate.test","aud":"door-17","exp":4102444800,"scope":"door:open"}"#;

fn policy() -> Policy<'static> {
    Policy::new(Expected::Exactly(ISS), Expected::Exactly(AUD))
}

fn verifier_with(keys: Vec<Key<'static>>) -> Verifier<'static, 'static> {
    Verifier::new(Box::leak(keys.into_boxed_slice()), policy())
}

fn all_keys() -> Verifier<'static, 'static> {
    Verifier::new(common::samples().keys(), policy())
}

fn check(v: &Verifier<'_, '_>, token: &str) -> Result<(), Error> {
    v.verify(token, NOW, &mut Buffers::<2048>::new())
        .map(|_| ())
}

fn es_header(kid: bool) -> &'static str {
    if kid {
        r#"{"alg":"ES256","kid":"es256-test"}"#
    } else {
        r#"{"alg":"ES256"}"#
    }
}

#[test]
fn sanity_each_sample_key_verifies() {
    let v = all_keys();
    let s = common::samples();
    for (signer, alg, kid) in [
        (Signer::Es256, "ES256", s.kid("es256")),
        (Signer::Rs256(2048), "RS256", s.kid("rsa2048")),
        (Signer::Rs256(3072), "RS256", s.kid("rsa3072")),
        (Signer::Rs256(4096), "RS256", s.kid("rsa4096")),
        (Signer::Hs256, "HS256", s.kid("hs256")),
    ] {
        let with_kid = mint(
            signer,
            &format!(r#"{{"alg":"{alg}","kid":"{kid}"}}"#),
            CLAIMS,
        );
        assert_eq!(check(&v, &with_kid), Ok(()), "{signer:?} with kid");
        let without = mint(signer, &format!(r#"{{"alg":"{alg}"}}"#), CLAIMS);
        assert_eq!(check(&v, &without), Ok(()), "{signer:?} without kid");
    }
}

#[test]
fn alg_none_in_every_spelling() {
    let v = all_keys();
    for alg in ["none", "None", "NONE", "nOnE", "NoNe", "\\u006eone"] {
        let input = format!(
            "{}.{}",
            common::b64(format!(r#"{{"alg":"{alg}"}}"#).as_bytes()),
            common::b64(CLAIMS.as_bytes())
        );
        // Unsecured JWS: empty signature. Also with a signature appended.
        assert_eq!(
            check(&v, &format!("{input}.")),
            Err(Error::AlgNone),
            "{alg}"
        );
        let signed = format!(
            "{input}.{}",
            common::b64(&common::sign(Signer::Hs256, input.as_bytes()))
        );
        assert_eq!(check(&v, &signed), Err(Error::AlgNone), "{alg}");
    }
    // Near misses are not `none`, and not supported either.
    for alg in ["non", "nonee", "none ", " none", "nul"] {
        let token = mint(Signer::Hs256, &format!(r#"{{"alg":"{alg}"}}"#), CLAIMS);
        assert_eq!(check(&v, &token), Err(Error::UnsupportedAlg), "{alg:?}");
    }
}

/// HS256 tokens MACed with the bytes of a provisioned public key (the classic RS/HS and ES/HS
/// confusion): the key is bound to its algorithm, so the MAC is never even computed.
#[test]
fn hs256_keyed_with_public_key_bytes() {
    let s = common::samples();
    let sec1 = hex::decode(s.json["es256"]["sec1"].as_str().unwrap()).unwrap();
    let es_pem = std::fs::read(common::data("keys/es256.pub.pem")).unwrap();
    let es_der = pem_to_der(&es_pem);
    let rsa_pem = std::fs::read(common::data("keys/rsa2048.pub.pem")).unwrap();
    let rsa_der = pem_to_der(&rsa_pem);
    let public_keys = vec![
        Key::es256(s.es256()).with_kid("es256-test"),
        Key::rs256(s.rsa2048()).with_kid("rs256-2048-test"),
    ];
    let v = verifier_with(public_keys.clone());
    for (secret, kid, key_alg) in [
        (&sec1[..], "es256-test", Alg::Es256),
        (&es_pem[..], "es256-test", Alg::Es256),
        (&es_der[..], "es256-test", Alg::Es256),
        (&rsa_pem[..], "rs256-2048-test", Alg::Rs256),
        (&rsa_der[..], "rs256-2048-test", Alg::Rs256),
    ] {
        let with_kid = hs256_with(secret, &format!(r#"{{"alg":"HS256","kid":"{kid}"}}"#));
        assert_eq!(
            check(&v, &with_kid),
            Err(Error::AlgMismatch {
                token: Alg::Hs256,
                key: key_alg
            })
        );
        let without_kid = hs256_with(secret, r#"{"alg":"HS256"}"#);
        assert_eq!(
            check(&v, &without_kid),
            Err(Error::NoKeyForAlg { alg: Alg::Hs256 })
        );
    }
    // With a genuine HS256 key provisioned too, the forged MAC is simply wrong.
    let mut with_hs = public_keys;
    with_hs.push(Key::hs256(s.hs256()).with_kid("hs256-test"));
    let v = verifier_with(with_hs);
    let forged = hs256_with(&sec1, r#"{"alg":"HS256"}"#);
    assert_eq!(check(&v, &forged), Err(Error::BadSignature));
}

fn hs256_with(secret: &[u8], header: &str) -> String {
    let input = format!(
        "{}.{}",
        common::b64(header.as_bytes()),
        common::b64(CLAIMS.as_bytes())
    );
    let mac = common::hmac_sha256(secret, input.as_bytes());
    format!("{input}.{}", common::b64(&mac))
}

fn pem_to_der(pem: &[u8]) -> Vec<u8> {
    use base64ct::{Base64, Encoding};
    let text = std::str::from_utf8(pem).unwrap();
    let body: String = text.lines().filter(|l| !l.starts_with("-----")).collect();
    Base64::decode_vec(&body).unwrap()
}

#[test]
fn rs512_and_ps256_against_rs256_key() {
    let v = verifier_with(vec![Key::rs256(common::samples().rsa2048()).with_kid("r")]);
    // The signature is a genuine RS256 one over the input: only the alg name differs. The
    // other RSA algorithms are supported, but this key is bound to RS256.
    for (name, alg) in [
        ("RS512", Alg::Rs512),
        ("RS384", Alg::Rs384),
        ("PS256", Alg::Ps256),
        ("PS384", Alg::Ps384),
        ("PS512", Alg::Ps512),
    ] {
        let token = mint(
            Signer::Rs256(2048),
            &format!(r#"{{"alg":"{name}","kid":"r"}}"#),
            CLAIMS,
        );
        assert_eq!(
            check(&v, &token),
            Err(Error::AlgMismatch {
                token: alg,
                key: Alg::Rs256
            }),
            "{name}"
        );
    }
    for alg in ["RS1", "rs256", "ps256", "PS 256"] {
        let token = mint(
            Signer::Rs256(2048),
            &format!(r#"{{"alg":"{alg}","kid":"r"}}"#),
            CLAIMS,
        );
        assert_eq!(check(&v, &token), Err(Error::UnsupportedAlg), "{alg}");
    }
}

fn es256_with_signature(signature: &[u8]) -> String {
    let input = format!(
        "{}.{}",
        common::b64(es_header(true).as_bytes()),
        common::b64(CLAIMS.as_bytes())
    );
    format!("{input}.{}", common::b64(signature))
}

/// P-256 group order n.
const N: [u8; 32] = [
    0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17, 0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x51,
];

#[test]
fn ecdsa_r_s_zero_and_n() {
    let v = all_keys();
    assert_eq!(
        check(&v, &es256_with_signature(&[0u8; 64])),
        Err(Error::BadSignature)
    );
    let n_n = [N, N].concat();
    assert_eq!(
        check(&v, &es256_with_signature(&n_n)),
        Err(Error::BadSignature)
    );
    let mut one_zero = [0u8; 64];
    one_zero[31] = 1;
    assert_eq!(
        check(&v, &es256_with_signature(&one_zero)),
        Err(Error::BadSignature)
    );
}

#[test]
fn ecdsa_high_s_is_valid() {
    // s' = n - s is an equally valid ECDSA signature: ES256 does not require low s.
    let v = all_keys();
    let token = mint(Signer::Es256, es_header(true), CLAIMS);
    let sig = base64ct_decode(token.rsplit('.').next().unwrap());
    let (r, s) = sig.split_at(32);
    let s_neg = sub_be(&N, s);
    let flipped = es256_with_signature(&[r, &s_neg[..]].concat());
    assert_ne!(flipped, token);
    assert_eq!(check(&v, &token), Ok(()));
    assert_eq!(check(&v, &flipped), Ok(()));
}

fn base64ct_decode(s: &str) -> Vec<u8> {
    use base64ct::{Base64UrlUnpadded, Encoding};
    Base64UrlUnpadded::decode_vec(s).unwrap()
}

fn sub_be(a: &[u8], b: &[u8]) -> Vec<u8> {
    let mut out = vec![0u8; a.len()];
    let mut borrow = 0i16;
    for i in (0..a.len()).rev() {
        let d = i16::from(a[i]) - i16::from(b[i]) - borrow;
        borrow = i16::from(d < 0);
        out[i] = (d + 256 * borrow) as u8;
    }
    out
}

#[test]
fn ecdsa_signature_lengths_and_der() {
    let v = all_keys();
    let good = mint(Signer::Es256, es_header(true), CLAIMS);
    let sig = base64ct_decode(good.rsplit('.').next().unwrap());
    for len in [63usize, 65, 66, 0, 32, 128] {
        let mut s = sig.clone();
        s.resize(len, 0);
        assert_eq!(
            check(&v, &es256_with_signature(&s)),
            Err(Error::SignatureLength { len, expected: 64 }),
            "{len}"
        );
    }
    // The same r, s as ASN.1 DER.
    let der = p256::ecdsa::Signature::from_slice(&sig).unwrap().to_der();
    let der = der.as_bytes();
    assert_eq!(
        check(&v, &es256_with_signature(der)),
        Err(Error::SignatureLength {
            len: der.len(),
            expected: 64
        })
    );
}

#[test]
fn tampered_payload_and_signature() {
    let v = all_keys();
    for signer in [
        Signer::Es256,
        Signer::Rs256(2048),
        Signer::Rs256(4096),
        Signer::Hs256,
    ] {
        let alg = signer.alg().name();
        let token = mint(signer, &format!(r#"{{"alg":"{alg}"}}"#), CLAIMS);
        let parts: Vec<&str> = token.split('.').collect();
        let other = common::b64(CLAIMS.replace("door-17", "door-18").as_bytes());
        let swapped = format!("{}.{}.{}", parts[0], other, parts[2]);
        assert_eq!(
            check(&v, &swapped),
            Err(Error::BadSignature),
            "{alg} payload"
        );
        let mut sig = base64ct_decode(parts[2]);
        let last = sig.len() - 1;
        sig[last] ^= 1;
        let flipped = format!("{}.{}.{}", parts[0], parts[1], common::b64(&sig));
        assert_eq!(
            check(&v, &flipped),
            Err(Error::BadSignature),
            "{alg} signature"
        );
        sig[last] ^= 1;
        sig[0] ^= 0x80;
        let flipped = format!("{}.{}.{}", parts[0], parts[1], common::b64(&sig));
        assert_eq!(
            check(&v, &flipped),
            Err(Error::BadSignature),
            "{alg} signature top bit"
        );
    }
}

#[test]
fn rsa_signature_not_below_modulus() {
    let s = common::samples();
    let v = verifier_with(vec![Key::rs256(s.rsa2048())]);
    let input = format!(
        "{}.{}",
        common::b64(br#"{"alg":"RS256"}"#),
        common::b64(CLAIMS.as_bytes())
    );
    let n = s.rsa_modulus(2048);
    for sig in [n.clone(), vec![0xff; 256]] {
        let token = format!("{input}.{}", common::b64(&sig));
        assert_eq!(check(&v, &token), Err(Error::BadSignature));
    }
    // Exactly the modulus length: one byte more or less is refused before any arithmetic.
    for len in [255usize, 257] {
        let token = format!("{input}.{}", common::b64(&vec![1u8; len]));
        assert_eq!(
            check(&v, &token),
            Err(Error::SignatureLength { len, expected: 256 })
        );
    }
}

#[test]
fn crit_unknown_and_empty() {
    let v = all_keys();
    for header in [
        r#"{"alg":"ES256","crit":["http://example.invalid/UNDEFINED"],"http://example.invalid/UNDEFINED":true}"#,
        r#"{"alg":"ES256","crit":[]}"#,
        r#"{"alg":"ES256","crit":["exp"]}"#,
        r#"{"crit":"b64","alg":"ES256"}"#,
    ] {
        let token = mint(Signer::Es256, header, CLAIMS);
        assert_eq!(check(&v, &token), Err(Error::CritHeader), "{header}");
    }
}

#[test]
fn b64_false_is_refused() {
    let v = all_keys();
    let token = mint(Signer::Es256, r#"{"alg":"ES256","b64":false}"#, CLAIMS);
    assert_eq!(check(&v, &token), Err(Error::UnencodedPayload));
    let token = mint(Signer::Es256, r#"{"alg":"ES256","b64":true}"#, CLAIMS);
    assert_eq!(check(&v, &token), Err(Error::UnencodedPayload));
    let token = mint(
        Signer::Es256,
        r#"{"alg":"ES256","b64":false,"crit":["b64"]}"#,
        CLAIMS,
    );
    assert_eq!(check(&v, &token), Err(Error::CritHeader));
}

#[test]
fn duplicate_members() {
    let v = all_keys();
    for header in [
        r#"{"alg":"ES256","alg":"HS256"}"#,
        r#"{"alg":"ES256","kid":"a","kid":"es256-test"}"#,
        r#"{"alg":"ES256","\u0061lg":"ES256"}"#,
    ] {
        let token = mint(Signer::Es256, header, CLAIMS);
        assert_eq!(
            check(&v, &token),
            Err(Error::DuplicateMember { part: Part::Header }),
            "{header}"
        );
    }
    for claims in [
        r#"{"iss":"https://issuer.tokengate.test","aud":"door-17","exp":4102444800,"exp":1}"#,
        r#"{"iss":"https://issuer.tokengate.test","aud":"door-17","exp":4102444800,"aud":"door-17"}"#,
        r#"{"iss":"https://issuer.tokengate.test","aud":"door-17","exp":4102444800,"\u0065xp":1}"#,
        r#"{"iss":"x","i\u0073s":"https://issuer.tokengate.test","aud":"door-17","exp":4102444800}"#,
        r#"{"iss":"https://issuer.tokengate.test","aud":"door-17","exp":4102444800,"ext":{"a":1,"a":2}}"#,
    ] {
        let token = mint(Signer::Es256, es_header(false), claims);
        assert_eq!(
            check(&v, &token),
            Err(Error::DuplicateMember { part: Part::Claims }),
            "{claims}"
        );
    }
}

#[test]
fn expiry_is_not_exp() {
    let v = all_keys();
    let claims = r#"{"iss":"https://issuer.tokengate.test","aud":"door-17","expiry":4102444800,"expires":1,"Exp":4102444800}"#;
    let token = mint(Signer::Es256, es_header(false), claims);
    assert_eq!(
        check(&v, &token),
        Err(Error::MissingMember {
            part: Part::Claims,
            name: "exp"
        })
    );
}

#[test]
fn time_claims_of_the_wrong_type() {
    let v = all_keys();
    for (claim, value) in [
        ("exp", r#""4102444800""#),
        ("exp", "true"),
        ("exp", "-1"),
        ("exp", "-0"),
        ("exp", "18446744073709551616"),
        ("exp", "1e400"),
        ("exp", "null"),
        ("exp", "[4102444800]"),
        ("nbf", r#""0""#),
        ("nbf", "false"),
        ("nbf", "-5"),
        ("nbf", "99999999999999999999999"),
        ("iat", r#""1""#),
        ("iat", "-1.5"),
    ] {
        let claims = CLAIMS.replacen('{', &format!("{{\"{claim}\":{value},"), 1);
        let claims = if claim == "exp" {
            claims.replace(",\"exp\":4102444800", "")
        } else {
            claims
        };
        let token = mint(Signer::Es256, es_header(false), &claims);
        assert_eq!(
            check(&v, &token),
            Err(Error::InvalidMember {
                part: Part::Claims,
                name: if claim == "exp" {
                    "exp"
                } else if claim == "nbf" {
                    "nbf"
                } else {
                    "iat"
                }
            }),
            "{claims}"
        );
    }
}

#[test]
fn huge_but_valid_times_saturate() {
    let v = all_keys();
    let claims = r#"{"iss":"https://issuer.tokengate.test","aud":"door-17","exp":18446744073709551615,"nbf":0,"iat":0,"scope":"x"}"#;
    let token = mint(Signer::Es256, es_header(false), claims);
    assert_eq!(check(&v, &token), Ok(()));
    let lenient = Verifier::new(
        v.keys(),
        policy().with_leeway(u64::MAX).with_max_age(u64::MAX),
    );
    let mut buffers = Buffers::<2048>::new();
    assert!(lenient.verify(&token, u64::MAX, &mut buffers).is_err());
    assert!(lenient.verify(&token, u64::MAX - 1, &mut buffers).is_ok());
    assert!(lenient.verify(&token, 0, &mut buffers).is_ok());
}

#[test]
fn audience_shapes() {
    let v = all_keys();
    let with_aud = |aud: &str| {
        let claims =
            format!(r#"{{"iss":"https://issuer.tokengate.test","aud":{aud},"exp":4102444800}}"#);
        check(&v, &mint(Signer::Es256, es_header(false), &claims))
    };
    assert_eq!(with_aud(r#""door-17""#), Ok(()));
    assert_eq!(with_aud(r#"["door-17"]"#), Ok(()));
    assert_eq!(with_aud(r#"["a","door-17","b"]"#), Ok(()));
    assert_eq!(with_aud(r#""door\u002d17""#), Ok(()));
    assert_eq!(with_aud("[]"), Err(Error::WrongAudience));
    assert_eq!(with_aud(r#""Door-17""#), Err(Error::WrongAudience));
    assert_eq!(with_aud(r#""door-17 ""#), Err(Error::WrongAudience));
    assert_eq!(
        with_aud(r#"["door-1","door-170"]"#),
        Err(Error::WrongAudience)
    );
    assert_eq!(with_aud(r#""door-17,door-18""#), Err(Error::WrongAudience));
    let invalid = Err(Error::InvalidMember {
        part: Part::Claims,
        name: "aud",
    });
    assert_eq!(with_aud("17"), invalid);
    assert_eq!(with_aud("null"), invalid);
    assert_eq!(with_aud(r#"{"door-17":true}"#), invalid);
    assert_eq!(with_aud(r#"["door-17",17]"#), invalid);
    assert_eq!(with_aud(r#"[["door-17"]]"#), invalid);
    let no_aud = r#"{"iss":"https://issuer.tokengate.test","exp":4102444800}"#;
    assert_eq!(
        check(&v, &mint(Signer::Es256, es_header(false), no_aud)),
        Err(Error::MissingMember {
            part: Part::Claims,
            name: "aud"
        })
    );
}

#[test]
fn issuer_exact_and_case_sensitive() {
    let v = all_keys();
    let with_iss = |iss: &str| {
        let claims = format!(r#"{{"iss":{iss},"aud":"door-17","exp":4102444800}}"#);
        check(&v, &mint(Signer::Es256, es_header(false), &claims))
    };
    assert_eq!(with_iss(r#""https://issuer.tokengate.test""#), Ok(()));
    assert_eq!(with_iss(r#""https:\/\/issuer.tokengate.test""#), Ok(()));
    assert_eq!(
        with_iss(r#""https://Issuer.tokengate.test""#),
        Err(Error::WrongIssuer)
    );
    assert_eq!(
        with_iss(r#""https://issuer.tokengate.test/""#),
        Err(Error::WrongIssuer)
    );
    assert_eq!(
        with_iss(r#""https://issuer.tokengate.tes""#),
        Err(Error::WrongIssuer)
    );
    assert_eq!(
        with_iss(r#"" https://issuer.tokengate.test""#),
        Err(Error::WrongIssuer)
    );
    assert_eq!(
        with_iss(r#""https://issuer.tokengate.test\u0000""#),
        Err(Error::WrongIssuer)
    );
    assert_eq!(
        with_iss(r#"["https://issuer.tokengate.test"]"#),
        Err(Error::InvalidMember {
            part: Part::Claims,
            name: "iss"
        })
    );
    let no_iss = r#"{"aud":"door-17","exp":4102444800}"#;
    assert_eq!(
        check(&v, &mint(Signer::Es256, es_header(false), no_iss)),
        Err(Error::MissingMember {
            part: Part::Claims,
            name: "iss"
        })
    );
}

#[test]
fn base64_must_be_canonical() {
    let v = all_keys();
    let token = mint(Signer::Es256, es_header(true), CLAIMS);
    assert_eq!(check(&v, &token), Ok(()));
    let parts: Vec<String> = token.split('.').map(str::to_owned).collect();
    let with = |i: usize, f: &dyn Fn(&str) -> String| {
        let mut p = parts.clone();
        p[i] = f(&p[i]);
        p.join(".")
    };
    let segments = [Segment::Header, Segment::Payload, Segment::Signature];
    for (i, segment) in segments.into_iter().enumerate() {
        let bad = Err(Error::Base64 { segment });
        // Padding to a multiple of four.
        assert_eq!(
            check(
                &v,
                &with(i, &|s| format!(
                    "{s}{}",
                    "=".repeat((4 - s.len() % 4) % 4 + if s.len() % 4 == 0 { 4 } else { 0 })
                ))
            ),
            bad,
            "padding {i}"
        );
        // Standard alphabet instead of url-safe.
        assert_eq!(
            check(&v, &with(i, &|s| format!("+{}", &s[1..]))),
            bad,
            "+ {i}"
        );
        assert_eq!(
            check(&v, &with(i, &|s| format!("/{}", &s[1..]))),
            bad,
            "/ {i}"
        );
        // Whitespace anywhere.
        assert_eq!(
            check(&v, &with(i, &|s| format!("{} {}", &s[..4], &s[4..]))),
            bad,
            "space {i}"
        );
        assert_eq!(
            check(&v, &with(i, &|s| format!("{}\n", s))),
            bad,
            "newline {i}"
        );
        assert_eq!(check(&v, &with(i, &|s| format!("\t{}", s))), bad, "tab {i}");
    }
    // Non-zero unused bits: an ES256 signature (64 bytes) ends in a 2-character group whose last
    // character carries 4 unused bits.
    let sig = &parts[2];
    assert_eq!(sig.len() % 4, 2);
    let last = sig.chars().last().unwrap();
    let alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let index = alphabet.find(last).unwrap();
    assert_eq!(index & 0xf, 0, "canonical encoding has zero unused bits");
    for extra in 1..16 {
        let other = alphabet.chars().nth(index | extra).unwrap();
        let tweaked = with(2, &|s| format!("{}{other}", &s[..s.len() - 1]));
        assert_eq!(
            check(&v, &tweaked),
            Err(Error::Base64 {
                segment: Segment::Signature
            })
        );
    }
}

#[test]
fn oversize_token() {
    let v = all_keys();
    let big = format!(
        r#"{{"iss":"https://issuer.tokengate.test","aud":"door-17","exp":4102444800,"pad":"{}"}}"#,
        "x".repeat(3000)
    );
    let token = mint(Signer::Hs256, r#"{"alg":"HS256"}"#, &big);
    let mut small = Buffers::<2048>::new();
    let needed = 15 + big.len();
    assert_eq!(
        v.verify(&token, NOW, &mut small).map(|_| ()),
        Err(Error::TooLarge {
            needed,
            capacity: 2048
        })
    );
    // The same token fits bigger buffers: the limit is the caller's choice.
    assert_eq!(
        v.verify(&token, NOW, &mut Buffers::<4096>::new())
            .map(|_| ()),
        Ok(())
    );
    // A megabyte of garbage is refused without decoding it.
    let huge = format!(
        "{}.{}.{}",
        "a".repeat(1 << 20),
        "b".repeat(8),
        "c".repeat(8)
    );
    assert!(matches!(
        v.verify(&huge, NOW, &mut small),
        Err(Error::TooLarge { .. })
    ));
    // Default buffers take any token of up to 2 KiB.
    let mut default = Buffers::<{ tokengate::DEFAULT_CAPACITY }>::new();
    let fill = tokengate::DEFAULT_MAX_TOKEN_LEN
        - mint(Signer::Rs256(4096), r#"{"alg":"RS256"}"#, CLAIMS).len();
    let padded = CLAIMS.replacen(
        '{',
        &format!(r#"{{"pad":"{}","#, "p".repeat(fill * 3 / 4 - 12)),
        1,
    );
    let token = mint(Signer::Rs256(4096), r#"{"alg":"RS256"}"#, &padded);
    assert!(
        token.len() <= tokengate::DEFAULT_MAX_TOKEN_LEN && token.len() > 2000,
        "{}",
        token.len()
    );
    assert_eq!(v.verify(&token, NOW, &mut default).map(|_| ()), Ok(()));
}

#[test]
fn deep_nesting() {
    let v = all_keys();
    let deep = |n: usize| {
        CLAIMS.replacen(
            '{',
            &format!(r#"{{"x":{}{},"#, "[".repeat(n), "]".repeat(n)),
            1,
        )
    };
    // Top-level object + 15 arrays = 16 levels: accepted.
    let ok = mint(
        Signer::Es256,
        es_header(false),
        &deep(tokengate::MAX_DEPTH - 1),
    );
    assert_eq!(check(&v, &ok), Ok(()));
    let too_deep = mint(Signer::Es256, es_header(false), &deep(tokengate::MAX_DEPTH));
    assert_eq!(
        check(&v, &too_deep),
        Err(Error::TooDeep { part: Part::Claims })
    );
    // Thousands of levels, validly signed, within the size limit.
    let hostile = mint(Signer::Es256, es_header(false), &deep(1000));
    let mut buffers = Buffers::<4096>::new();
    assert_eq!(
        v.verify(&hostile, NOW, &mut buffers).map(|_| ()),
        Err(Error::TooDeep { part: Part::Claims })
    );
    // Unclosed: still the depth that is reported first, never a stack overflow.
    let unclosed = format!(r#"{{"x":{}"#, "[".repeat(100_000));
    let token = mint(Signer::Hs256, r#"{"alg":"HS256"}"#, &unclosed);
    assert_eq!(
        v.verify(&token, NOW, &mut Buffers::<{ 1 << 17 }>::new())
            .map(|_| ()),
        Err(Error::TooDeep { part: Part::Claims })
    );
    let header = format!(
        r#"{{"alg":"ES256","x":{}1{}}}"#,
        "[".repeat(500),
        "]".repeat(500)
    );
    let token = mint(Signer::Es256, &header, CLAIMS);
    assert_eq!(
        check(&v, &token),
        Err(Error::TooDeep { part: Part::Header })
    );
}

#[test]
fn member_names_are_bounded() {
    let v = all_keys();
    let names =
        |n: usize| -> String { (0..n).map(|i| format!(r#","m{i}":0"#)).collect::<String>() };
    let mut buffers = Buffers::<8192>::new();
    // Claims: the registered ones plus extra names up to 128 in all are accepted, one more is not.
    let registered = CLAIMS.matches("\":").count();
    let claims = |extra: usize| CLAIMS.replacen('{', &format!("{{{},", &names(extra)[1..]), 1);
    let full = mint(
        Signer::Es256,
        es_header(false),
        &claims(tokengate::MAX_MEMBERS - registered),
    );
    assert_eq!(v.verify(&full, NOW, &mut buffers).map(|_| ()), Ok(()));
    let over = mint(
        Signer::Es256,
        es_header(false),
        &claims(tokengate::MAX_MEMBERS - registered + 1),
    );
    assert_eq!(
        v.verify(&over, NOW, &mut buffers).map(|_| ()),
        Err(Error::TooManyMembers { part: Part::Claims })
    );
    // Header: refused before any signature arithmetic, whatever the signature.
    let header = format!(r#"{{"alg":"HS256"{}}}"#, names(tokengate::MAX_MEMBERS));
    let token = mint(Signer::Hs256, &header, CLAIMS);
    assert_eq!(
        v.verify(&token, NOW, &mut buffers).map(|_| ()),
        Err(Error::TooManyMembers { part: Part::Header })
    );
    // The names of a closed object make room again: many objects of 60 names each pass.
    let object = format!("{{{}}}", &names(60)[1..]);
    let list = vec![object; 20].join(",");
    let header = format!(r#"{{"alg":"ES256","kid":"es256-test","x":[{list}]}}"#);
    let token = mint(Signer::Es256, &header, CLAIMS);
    assert_eq!(
        v.verify(&token, NOW, &mut Buffers::<32768>::new())
            .map(|_| ()),
        Ok(())
    );
    // A duplicate at the very end of a long header is still found.
    let header = format!(r#"{{"alg":"ES256"{},"m0":1}}"#, names(60));
    let token = mint(Signer::Es256, &header, CLAIMS);
    assert_eq!(
        v.verify(&token, NOW, &mut buffers).map(|_| ()),
        Err(Error::DuplicateMember { part: Part::Header })
    );
}

#[test]
fn kid_shapes() {
    let v = all_keys();
    let with_kid = |kid: &str| {
        check(
            &v,
            &mint(
                Signer::Es256,
                &format!(r#"{{"alg":"ES256","kid":{kid}}}"#),
                CLAIMS,
            ),
        )
    };
    assert_eq!(with_kid(r#""es256-test""#), Ok(()));
    assert_eq!(with_kid(r#""es256\u002dtest""#), Ok(()));
    let invalid = Err(Error::InvalidMember {
        part: Part::Header,
        name: "kid",
    });
    for kid in [
        "1",
        "null",
        "true",
        r#"["es256-test"]"#,
        r#"{"id":"es256-test"}"#,
    ] {
        assert_eq!(with_kid(kid), invalid, "{kid}");
    }
    assert_eq!(with_kid(r#""ES256-TEST""#), Err(Error::UnknownKid));
    assert_eq!(with_kid(r#""""#), Err(Error::UnknownKid));
    assert_eq!(
        with_kid(&format!(r#""{}""#, "k".repeat(1000))),
        Err(Error::UnknownKid)
    );
    // A kid naming a key of another algorithm.
    assert_eq!(
        with_kid(r#""hs256-test""#),
        Err(Error::AlgMismatch {
            token: Alg::Es256,
            key: Alg::Hs256
        })
    );
}

#[test]
fn keys_without_kid_serve_tokens_with_one() {
    let s = common::samples();
    let v = verifier_with(vec![Key::es256(s.es256())]);
    let token = mint(Signer::Es256, r#"{"alg":"ES256","kid":"whatever"}"#, CLAIMS);
    assert_eq!(check(&v, &token), Ok(()));
    // But once some key has that kid, only it is tried.
    let hs = Key::hs256(s.hs256()).with_kid("whatever");
    let v = verifier_with(vec![Key::es256(s.es256()), hs]);
    assert_eq!(
        check(&v, &token),
        Err(Error::AlgMismatch {
            token: Alg::Es256,
            key: Alg::Hs256
        })
    );
}

#[test]
fn embedded_keys_are_ignored() {
    let v = all_keys();
    // A header offering an attacker's key and key URL, signed with the provisioned key: fine,
    // the embedded key is never read.
    let header = r#"{"alg":"ES256","jwk":{"kty":"EC","crv":"P-256","x":"AAAA","y":"AAAA"},"jku":"https://attacker.example/jwks","x5u":"https://attacker.example/x","x5c":["AAAA"]}"#;
    assert_eq!(check(&v, &mint(Signer::Es256, header, CLAIMS)), Ok(()));
    // Signed by a key that only the header carries: rejected.
    let attacker = p256::ecdsa::SigningKey::from_slice(&[7u8; 32]).unwrap();
    let point = attacker.verifying_key().to_sec1_point(false);
    let header = format!(
        r#"{{"alg":"ES256","jwk":{{"kty":"EC","crv":"P-256","x":"{}","y":"{}"}}}}"#,
        common::b64(&point.as_bytes()[1..33]),
        common::b64(&point.as_bytes()[33..])
    );
    let input = format!(
        "{}.{}",
        common::b64(header.as_bytes()),
        common::b64(CLAIMS.as_bytes())
    );
    use p256::ecdsa::signature::Signer as _;
    let sig: p256::ecdsa::Signature = attacker.sign(input.as_bytes());
    let token = format!("{input}.{}", common::b64(&sig.to_bytes()));
    assert_eq!(check(&v, &token), Err(Error::BadSignature));
}

#[test]
fn malformed_json_and_text() {
    let v = all_keys();
    let bad_header = [
        (r#"{"alg":"ES256""#, Error::Json { part: Part::Header }),
        (r#"["ES256"]"#, Error::NotAnObject { part: Part::Header }),
        (r#"{"alg":"ES256",}"#, Error::Json { part: Part::Header }),
        ("{\"alg\":\"ES256\"}\0", Error::Json { part: Part::Header }),
    ];
    for (header, err) in bad_header {
        assert_eq!(
            check(&v, &mint(Signer::Es256, header, CLAIMS)),
            Err(err),
            "{header:?}"
        );
    }
    let invalid_utf8 = mint_raw(
        Signer::Es256,
        b"{\"alg\":\"ES256\",\"x\":\"\xff\"}",
        CLAIMS.as_bytes(),
    );
    assert_eq!(
        check(&v, &invalid_utf8),
        Err(Error::Json { part: Part::Header })
    );
    let bad_claims = [
        ("Hello, world", Error::Json { part: Part::Claims }),
        ("", Error::Json { part: Part::Claims }),
        ("[]", Error::NotAnObject { part: Part::Claims }),
        ("\"claims\"", Error::NotAnObject { part: Part::Claims }),
        (r#"{"exp":4102444800}x"#, Error::Json { part: Part::Claims }),
        (r#"{"exp":04102444800}"#, Error::Json { part: Part::Claims }),
    ];
    for (claims, err) in bad_claims {
        assert_eq!(
            check(&v, &mint(Signer::Es256, es_header(false), claims)),
            Err(err),
            "{claims:?}"
        );
    }
    // Whitespace inside JSON is fine (RFC 8259).
    let spaced = mint(
        Signer::Es256,
        "{ \"alg\" :\n\"ES256\" }",
        &CLAIMS.replace(',', " ,\r\n\t"),
    );
    assert_eq!(check(&v, &spaced), Ok(()));
}

/// A key provisioned with its precomputed table (`Key::es256_table`) is bound to ES256 like a
/// plain ES256 key, verifies what the plain key verifies, and another key's table never
/// verifies a genuine token.
#[test]
fn es256_table_keys_are_bound_and_checked() {
    let s = common::samples();
    let sec1 = s.es256().to_sec1();
    let table = common::leak(tokengate::Es256KeyTable::<32>::new(&sec1).unwrap());
    let keys = vec![
        Key::es256_table(table).with_kid("es256-test"),
        Key::hs256(s.hs256()).with_kid("hs256-test"),
    ];
    keys[0].validate().unwrap();
    let v = verifier_with(keys);
    let token = mint(
        Signer::Es256,
        r#"{"alg":"ES256","kid":"es256-test"}"#,
        CLAIMS,
    );
    assert_eq!(check(&v, &token), Ok(()));
    // Tampered payload, and an HS256 token MACed with the point's bytes under its kid.
    let (head, rest) = token.split_once('.').unwrap();
    let (_, sig) = rest.split_once('.').unwrap();
    let other = common::b64(br#"{"iss":"https://issuer.tokengate.test","aud":"door-17","exp":4102444800,"scope":"door:open admin"}"#);
    assert_eq!(
        check(&v, &format!("{head}.{other}.{sig}")),
        Err(Error::BadSignature)
    );
    assert_eq!(
        check(
            &v,
            &hs256_with(&sec1, r#"{"alg":"HS256","kid":"es256-test"}"#)
        ),
        Err(Error::AlgMismatch {
            token: Alg::Hs256,
            key: Alg::Es256
        })
    );
    // A table from another key, paired with this key's point.
    let attacker = p256::ecdsa::SigningKey::from_slice(&[7u8; 32]).unwrap();
    let attacker_sec1: [u8; 65] = attacker
        .verifying_key()
        .to_sec1_point(false)
        .as_bytes()
        .try_into()
        .unwrap();
    // A table is computed from its point and nothing else (tests/key_tables.rs): another key's
    // table, provisioned under this key's kid, is that other key and never verifies this one's
    // tokens.
    let foreign = common::leak(tokengate::Es256KeyTable::<32>::new(&attacker_sec1).unwrap());
    assert_eq!(foreign.sec1(), &attacker_sec1);
    let key = Key::es256_table(foreign).with_kid("es256-test");
    assert_eq!(key.validate(), Ok(()));
    assert_eq!(
        check(&verifier_with(vec![key]), &token),
        Err(Error::BadSignature)
    );
}

// ---- RS384/RS512, PS256/PS384/PS512, HS384/HS512 ----

/// `b64(header).b64(CLAIMS)` and its signature by `sign`.
fn token_signed_by(header: &str, sign: impl FnOnce(&[u8]) -> Vec<u8>) -> String {
    let input = format!(
        "{}.{}",
        common::b64(header.as_bytes()),
        common::b64(CLAIMS.as_bytes())
    );
    let signature = sign(input.as_bytes());
    format!("{input}.{}", common::b64(&signature))
}

#[test]
fn sanity_each_new_alg_verifies() {
    let mut keys = Vec::new();
    let mut signers = Vec::new();
    for (bits, alg) in [
        (2048, Alg::Rs384),
        (3072, Alg::Rs512),
        (2048, Alg::Ps256),
        (3072, Alg::Ps384),
        (4096, Alg::Ps512),
    ] {
        keys.push(common::rsa_key(bits, alg).with_kid(alg.name()));
        signers.push(Signer::Rsa(bits, alg));
    }
    keys.push(common::hs384_key().with_kid("HS384"));
    keys.push(common::hs512_key().with_kid("HS512"));
    signers.extend([Signer::Hs384, Signer::Hs512]);
    let v = verifier_with(keys);
    for signer in signers {
        let alg = signer.alg().name();
        let with_kid = mint(
            signer,
            &format!(r#"{{"alg":"{alg}","kid":"{alg}"}}"#),
            CLAIMS,
        );
        assert_eq!(check(&v, &with_kid), Ok(()), "{signer:?} with kid");
        let without = mint(signer, &format!(r#"{{"alg":"{alg}"}}"#), CLAIMS);
        assert_eq!(check(&v, &without), Ok(()), "{signer:?} without kid");
    }
}

/// RFC 7518 §3.5: the PSS salt is as long as the hash. A genuine RSASSA-PSS signature (the rsa
/// crate's) with salt length 0, 20 (the RFC 8017 default for SHA-1) or the largest the modulus
/// allows (emLen − hLen − 2 = 222 for 2048 bits) is not PS256.
#[test]
fn pss_salt_lengths_other_than_the_hash_size() {
    let v = verifier_with(vec![common::rsa_key(2048, Alg::Ps256).with_kid("p")]);
    let header = r#"{"alg":"PS256","kid":"p"}"#;
    let genuine = token_signed_by(header, |input| {
        common::rsa_sign(2048, Alg::Ps256, Some(32), input)
    });
    assert_eq!(check(&v, &genuine), Ok(()));
    for salt in [0, 20, 31, 33, 64, 222] {
        let token = token_signed_by(header, |input| {
            common::rsa_sign(2048, Alg::Ps256, Some(salt), input)
        });
        assert_eq!(check(&v, &token), Err(Error::BadSignature), "salt {salt}");
    }
    // PS384 and PS512 likewise: salt 0 and the hash size of another PS algorithm.
    let v = verifier_with(vec![
        common::rsa_key(4096, Alg::Ps384).with_kid("p384"),
        common::rsa_key(4096, Alg::Ps512).with_kid("p512"),
    ]);
    for (alg, salts) in [(Alg::Ps384, [0, 32, 64]), (Alg::Ps512, [0, 32, 48])] {
        let header = format!(
            r#"{{"alg":"{}","kid":"p{}"}}"#,
            alg.name(),
            &alg.name()[2..]
        );
        for salt in salts {
            let token = token_signed_by(&header, |input| {
                common::rsa_sign(4096, alg, Some(salt), input)
            });
            assert_eq!(
                check(&v, &token),
                Err(Error::BadSignature),
                "{alg} salt {salt}"
            );
        }
    }
}

/// SHA-1 (FIPS 180-4), for the MGF1-SHA-1 forgery below: no test dependency has it.
fn sha1(message: &[u8]) -> Vec<u8> {
    let mut h: [u32; 5] = [
        0x6745_2301,
        0xefcd_ab89,
        0x98ba_dcfe,
        0x1032_5476,
        0xc3d2_e1f0,
    ];
    let mut data = message.to_vec();
    data.push(0x80);
    while data.len() % 64 != 56 {
        data.push(0);
    }
    data.extend_from_slice(&((message.len() as u64) * 8).to_be_bytes());
    for block in data.chunks(64) {
        let mut w = [0u32; 80];
        for (i, word) in block.chunks(4).enumerate() {
            w[i] = u32::from_be_bytes(word.try_into().unwrap());
        }
        for i in 16..80 {
            w[i] = (w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16]).rotate_left(1);
        }
        let [mut a, mut b, mut c, mut d, mut e] = h;
        for (i, wi) in w.iter().enumerate() {
            let (f, k) = match i {
                0..=19 => ((b & c) | (!b & d), 0x5a82_7999),
                20..=39 => (b ^ c ^ d, 0x6ed9_eba1),
                40..=59 => ((b & c) | (b & d) | (c & d), 0x8f1b_bcdc),
                _ => (b ^ c ^ d, 0xca62_c1d6),
            };
            let t = a
                .rotate_left(5)
                .wrapping_add(f)
                .wrapping_add(e)
                .wrapping_add(k)
                .wrapping_add(*wi);
            (e, d, c, b, a) = (d, c, b.rotate_left(30), a, t);
        }
        for (x, y) in h.iter_mut().zip([a, b, c, d, e]) {
            *x = x.wrapping_add(y);
        }
    }
    h.iter().flat_map(|x| x.to_be_bytes()).collect()
}

fn sha256(message: &[u8]) -> Vec<u8> {
    use sha2::Digest;
    sha2::Sha256::digest(message).to_vec()
}

/// EMSA-PSS-ENCODE (RFC 8017 §9.1.1) with SHA-256 for the message and `mgf` for MGF1, then
/// `defect` applied to the encoded message, then the raw RSA private operation of the 2048-bit
/// sample key (rsa's `hazmat`): a signature with any encoding, for the checks PSS verification
/// makes. `None` when the defective encoding is not below the modulus (no signature has it).
fn pss_forge(
    input: &[u8],
    salt: &[u8],
    mgf: fn(&[u8]) -> Vec<u8>,
    defect: fn(&mut [u8]),
) -> Option<Vec<u8>> {
    pss_forge_with(&common::rsa_private(2048), input, salt, mgf, defect)
}

/// [`pss_forge`] with any private key: `k` bytes of modulus, `emBits = modBits − 1`, and the
/// encoded message written into the `k`-byte integer after `k − emLen` zero bytes.
fn pss_forge_with(
    private: &rsa::RsaPrivateKey,
    input: &[u8],
    salt: &[u8],
    mgf: fn(&[u8]) -> Vec<u8>,
    defect: fn(&mut [u8]),
) -> Option<Vec<u8>> {
    use rsa::traits::PublicKeyParts;
    let k = private.size();
    let em_bits = private.n().bits() - 1;
    let em_len = em_bits.div_ceil(8);
    let m_hash = sha256(input);
    let h = sha256(&[&[0u8; 8][..], &m_hash, salt].concat());
    let db_len = em_len - h.len() - 1;
    let mut db = vec![0u8; db_len - salt.len() - 1];
    db.push(0x01);
    db.extend_from_slice(salt);
    let mut mask = Vec::new();
    let mut counter = 0u32;
    while mask.len() < db_len {
        mask.extend(mgf(&[&h[..], &counter.to_be_bytes()].concat()));
        counter += 1;
    }
    for (d, m) in db.iter_mut().zip(&mask) {
        *d ^= m;
    }
    db[0] &= 0xff >> (8 * em_len - em_bits);
    let mut em = vec![0u8; k - em_len];
    em.extend(db);
    em.extend(h);
    em.push(0xbc);
    defect(&mut em);
    let s = rsa::hazmat::rsa_decrypt_and_check(
        private,
        None::<&mut common::TestRng>,
        &rsa::BigUint::from_bytes_be(&em),
    )
    .ok()?;
    let bytes = s.to_bytes_be();
    Some([vec![0u8; k - bytes.len()], bytes].concat())
}

#[test]
fn sha1_matches_fips_180() {
    assert_eq!(
        hex::encode(sha1(b"abc")),
        "a9993e364706816aba3e25717850c26c9cd0d89d"
    );
    assert_eq!(
        hex::encode(sha1(&[b'a'; 1000])),
        "291e9a6c66994949b57ba5e650361e98fc36b1ba"
    );
}

/// PS256 means MGF1 with SHA-256. The same PSS signature with MGF1-SHA-1 (the RFC 8017 default,
/// and what some libraries still produce) is refused; the forger's encoder itself is right, as
/// its MGF1-SHA-256 signature verifies.
#[test]
fn pss_with_mgf1_sha1() {
    let v = verifier_with(vec![common::rsa_key(2048, Alg::Ps256).with_kid("p")]);
    let header = r#"{"alg":"PS256","kid":"p"}"#;
    let salt = [0x5a; 32];
    let right = token_signed_by(header, |input| {
        pss_forge(input, &salt, sha256, |_| {}).unwrap()
    });
    assert_eq!(check(&v, &right), Ok(()));
    let sha1_mgf = token_signed_by(header, |input| {
        pss_forge(input, &salt, sha1, |_| {}).unwrap()
    });
    assert_eq!(check(&v, &sha1_mgf), Err(Error::BadSignature));
}

/// Each check of EMSA-PSS-VERIFY on its own: a signature whose encoding has exactly one defect.
#[test]
fn pss_encoding_defects() {
    let v = verifier_with(vec![common::rsa_key(2048, Alg::Ps256).with_kid("p")]);
    let header = r#"{"alg":"PS256","kid":"p"}"#;
    let salt = [0xa5; 32];
    type Defect = fn(&mut [u8]);
    let defects: [(&str, Defect); 4] = [
        ("trailer 0xbb", |em| *em.last_mut().unwrap() = 0xbb),
        // Byte 0 of the 256 is DB's first, masked: flipping a low bit makes PS non-zero.
        ("non-zero padding byte", |em| em[10] ^= 0x01),
        // DB[190] is the 0x01 separator (256 − 32 − 1 − 32 − 1 = 190).
        ("separator 0x02", |em| em[190] ^= 0x03),
        ("H altered", |em| em[240] ^= 0x01),
    ];
    for (what, defect) in defects {
        let token = token_signed_by(header, |input| {
            pss_forge(input, &salt, sha256, defect).unwrap()
        });
        assert_eq!(check(&v, &token), Err(Error::BadSignature), "{what}");
    }
    // The modulus has 2048 bits, so emBits = 2047 and bit 7 of EM's first byte must be clear.
    // Setting it gives an integer below n only when the rest of the byte is small (n starts
    // with 0xa4): salts are tried until one does, and counted.
    let mut tried = 0;
    let token = (0u8..=255)
        .find_map(|fill| {
            tried += 1;
            let salt = [fill; 32];
            let token = token_signed_by(header, |input| {
                pss_forge(input, &salt, sha256, |em| em[0] |= 0x80).unwrap_or_default()
            });
            // An empty signature stands for "not below n": try the next salt.
            (!token.ends_with('.')).then_some(token)
        })
        .unwrap();
    assert!(tried < 64, "{tried} salts");
    assert_eq!(
        check(&v, &token),
        Err(Error::BadSignature),
        "leftmost bit set"
    );
}

/// One modulus, provisioned for RS256 and for PS256 as two keys: a PS256 token never reaches
/// the RS256 key and the reverse; a token whose header lies about which of the two it is fails
/// its signature check.
#[test]
fn ps256_and_rs256_on_the_same_modulus() {
    let rs = common::rsa_key(2048, Alg::Rs256).with_kid("rs");
    let ps = common::rsa_key(2048, Alg::Ps256).with_kid("ps");
    let ps_token =
        |header: &str| token_signed_by(header, |i| common::rsa_sign(2048, Alg::Ps256, None, i));
    let rs_token =
        |header: &str| token_signed_by(header, |i| common::rsa_sign(2048, Alg::Rs256, None, i));
    let only_rs = verifier_with(vec![rs]);
    assert_eq!(
        check(&only_rs, &ps_token(r#"{"alg":"PS256","kid":"rs"}"#)),
        Err(Error::AlgMismatch {
            token: Alg::Ps256,
            key: Alg::Rs256
        })
    );
    assert_eq!(
        check(&only_rs, &ps_token(r#"{"alg":"PS256"}"#)),
        Err(Error::NoKeyForAlg { alg: Alg::Ps256 })
    );
    assert_eq!(
        check(&only_rs, &ps_token(r#"{"alg":"RS256","kid":"rs"}"#)),
        Err(Error::BadSignature)
    );
    let only_ps = verifier_with(vec![ps]);
    assert_eq!(
        check(&only_ps, &rs_token(r#"{"alg":"RS256","kid":"ps"}"#)),
        Err(Error::AlgMismatch {
            token: Alg::Rs256,
            key: Alg::Ps256
        })
    );
    assert_eq!(
        check(&only_ps, &rs_token(r#"{"alg":"RS256"}"#)),
        Err(Error::NoKeyForAlg { alg: Alg::Rs256 })
    );
    assert_eq!(
        check(&only_ps, &rs_token(r#"{"alg":"PS256","kid":"ps"}"#)),
        Err(Error::BadSignature)
    );
    // Both keys: each token verifies with its own, and only its own.
    let both = verifier_with(vec![rs, ps]);
    assert_eq!(check(&both, &ps_token(r#"{"alg":"PS256"}"#)), Ok(()));
    assert_eq!(check(&both, &rs_token(r#"{"alg":"RS256"}"#)), Ok(()));
    assert_eq!(
        check(&both, &ps_token(r#"{"alg":"PS256","kid":"rs"}"#)),
        Err(Error::AlgMismatch {
            token: Alg::Ps256,
            key: Alg::Rs256
        })
    );
    assert_eq!(
        check(&both, &ps_token(r#"{"alg":"RS256"}"#)),
        Err(Error::BadSignature)
    );
}

/// PS256 ↔ PS384: a key of one never verifies the other's token, by `alg` or by signature.
#[test]
fn ps256_ps384_swap() {
    let p256 = common::rsa_key(3072, Alg::Ps256).with_kid("k");
    let p384 = common::rsa_key(3072, Alg::Ps384).with_kid("k");
    let signed =
        |alg: Alg, header: &str| token_signed_by(header, |i| common::rsa_sign(3072, alg, None, i));
    let v = verifier_with(vec![p256]);
    assert_eq!(
        check(&v, &signed(Alg::Ps384, r#"{"alg":"PS384","kid":"k"}"#)),
        Err(Error::AlgMismatch {
            token: Alg::Ps384,
            key: Alg::Ps256
        })
    );
    // A PS384 signature relabelled PS256.
    assert_eq!(
        check(&v, &signed(Alg::Ps384, r#"{"alg":"PS256","kid":"k"}"#)),
        Err(Error::BadSignature)
    );
    let v = verifier_with(vec![p384]);
    assert_eq!(
        check(&v, &signed(Alg::Ps256, r#"{"alg":"PS256","kid":"k"}"#)),
        Err(Error::AlgMismatch {
            token: Alg::Ps256,
            key: Alg::Ps384
        })
    );
    assert_eq!(
        check(&v, &signed(Alg::Ps256, r#"{"alg":"PS384","kid":"k"}"#)),
        Err(Error::BadSignature)
    );
    assert_eq!(
        check(&v, &signed(Alg::Ps384, r#"{"alg":"PS384","kid":"k"}"#)),
        Ok(())
    );
}

/// An RS384 signature presented as RS256 (and RS512 as RS384): the RS256 key rebuilds the
/// SHA-256 DigestInfo encoding, which the RS384 one is not.
#[test]
fn rs384_signature_presented_as_rs256() {
    let v = verifier_with(vec![
        common::rsa_key(2048, Alg::Rs256).with_kid("k256"),
        common::rsa_key(2048, Alg::Rs384).with_kid("k384"),
    ]);
    let rs384 =
        |header: &str| token_signed_by(header, |i| common::rsa_sign(2048, Alg::Rs384, None, i));
    assert_eq!(check(&v, &rs384(r#"{"alg":"RS384","kid":"k384"}"#)), Ok(()));
    assert_eq!(
        check(&v, &rs384(r#"{"alg":"RS256","kid":"k256"}"#)),
        Err(Error::BadSignature)
    );
    assert_eq!(
        check(&v, &rs384(r#"{"alg":"RS256"}"#)),
        Err(Error::BadSignature)
    );
    assert_eq!(
        check(&v, &rs384(r#"{"alg":"RS256","kid":"k384"}"#)),
        Err(Error::AlgMismatch {
            token: Alg::Rs256,
            key: Alg::Rs384
        })
    );
    let rs512 = token_signed_by(r#"{"alg":"RS384"}"#, |i| {
        common::rsa_sign(2048, Alg::Rs512, None, i)
    });
    assert_eq!(check(&v, &rs512), Err(Error::BadSignature));
}

/// An HS512 key refuses HS256 and HS384 tokens, even ones MACed with its own secret (an
/// attacker who learnt a truncated or shorter MAC gains nothing), and the reverse.
#[test]
fn hs512_key_refuses_hs256_token() {
    let v = verifier_with(vec![common::hs512_key().with_kid("h")]);
    for (alg, mac) in [
        (
            Alg::Hs256,
            common::hmac_sha256 as fn(&[u8], &[u8]) -> Vec<u8>,
        ),
        (Alg::Hs384, |secret, input| {
            use hmac::{KeyInit, Mac};
            let mut mac = <hmac::Hmac<sha2::Sha384> as KeyInit>::new_from_slice(secret).unwrap();
            mac.update(input);
            mac.finalize().into_bytes().to_vec()
        }),
    ] {
        let with_kid = token_signed_by(&format!(r#"{{"alg":"{alg}","kid":"h"}}"#), |i| {
            mac(common::HS512_SECRET, i)
        });
        assert_eq!(
            check(&v, &with_kid),
            Err(Error::AlgMismatch {
                token: alg,
                key: Alg::Hs512
            })
        );
        let without = token_signed_by(&format!(r#"{{"alg":"{alg}"}}"#), |i| {
            mac(common::HS512_SECRET, i)
        });
        assert_eq!(check(&v, &without), Err(Error::NoKeyForAlg { alg }));
    }
    // An HS512 tag cut to 32 bytes and labelled HS256, against an HS256 key of the same secret.
    let hs256_same_secret = Key::hs256(tokengate::Hs256Key::new(common::HS512_SECRET).unwrap());
    let v = verifier_with(vec![hs256_same_secret, common::hs512_key()]);
    let full = mint(Signer::Hs512, r#"{"alg":"HS256"}"#, CLAIMS);
    let (input, tag) = full.rsplit_once('.').unwrap();
    let tag = <base64ct::Base64UrlUnpadded as base64ct::Encoding>::decode_vec(tag).unwrap();
    let cut = format!("{input}.{}", common::b64(&tag[..32]));
    assert_eq!(check(&v, &cut), Err(Error::BadSignature));
    assert_eq!(
        check(&v, &full),
        Err(Error::SignatureLength {
            len: 64,
            expected: 32
        })
    );
    // The reverse: an HS256 token never reaches the HS512 key.
    let v = verifier_with(vec![common::hs512_key().with_kid("h")]);
    let hs512_as_256 = mint(Signer::Hs512, r#"{"alg":"HS512","kid":"h"}"#, CLAIMS);
    assert_eq!(check(&v, &hs512_as_256), Ok(()));
}

/// HMAC secrets shorter than the hash are refused when the key is built (RFC 7518 §3.2).
#[test]
fn hs384_secret_of_47_bytes() {
    use tokengate::{Hs384Key, Hs512Key};
    assert_eq!(
        Hs384Key::new(&[7; 47]).map(|_| ()),
        Err(Error::SecretTooShort { len: 47, min: 48 })
    );
    assert!(Hs384Key::new(&[7; 48]).is_ok());
    assert_eq!(
        Hs512Key::new(&[7; 63]).map(|_| ()),
        Err(Error::SecretTooShort { len: 63, min: 64 })
    );
    assert!(Hs512Key::new(&[7; 64]).is_ok());
    // In a `const`, where a device's keys are built.
    const SHORT: Result<(), Error> = match Hs384Key::new(&[0; 47]) {
        Ok(_) => Ok(()),
        Err(e) => Err(e),
    };
    assert_eq!(SHORT, Err(Error::SecretTooShort { len: 47, min: 48 }));
}

/// A 2049-bit modulus: emBits = 2048 fills emLen = 256 bytes exactly, one byte short of the
/// 257-byte signature, so `s^e mod n` must have a zero first byte (I2OSP(m, emLen) in RFC 8017
/// §9.1.2 step 2), and no bit of EM's first byte is unused. The Wycheproof files have only
/// 2048/3072/4096-bit keys, where emLen is the modulus length: this is the other case.
#[test]
fn pss_modulus_of_2049_bits() {
    use rsa::traits::PublicKeyParts;
    let private = rsa::RsaPrivateKey::new(&mut common::TestRng(2049), 2049).unwrap();
    assert_eq!(private.n().bits(), 2049);
    let key: &'static tokengate::Rsa3072 = Box::leak(Box::new(
        tokengate::Rsa3072::new(&private.n().to_bytes_be(), 65537).unwrap(),
    ));
    assert_eq!(key.modulus_len(), 257);
    // Genuine signatures (the rsa crate) of each PS algorithm verify.
    for (alg, salt) in [(Alg::Ps256, 32), (Alg::Ps384, 48), (Alg::Ps512, 64)] {
        let v = verifier_with(vec![Key::rsa(key, alg).unwrap()]);
        let token = token_signed_by(&format!(r#"{{"alg":"{alg}"}}"#), |input| {
            use rsa::sha2::{Digest, Sha256, Sha384, Sha512};
            let mut rng = common::TestRng(7);
            match alg {
                Alg::Ps256 => private.sign_with_rng(
                    &mut rng,
                    rsa::Pss::new_with_salt::<Sha256>(salt),
                    &Sha256::digest(input),
                ),
                Alg::Ps384 => private.sign_with_rng(
                    &mut rng,
                    rsa::Pss::new_with_salt::<Sha384>(salt),
                    &Sha384::digest(input),
                ),
                _ => private.sign_with_rng(
                    &mut rng,
                    rsa::Pss::new_with_salt::<Sha512>(salt),
                    &Sha512::digest(input),
                ),
            }
            .unwrap()
        });
        assert_eq!(check(&v, &token), Ok(()), "{alg}");
    }
    let v = verifier_with(vec![Key::ps256(key)]);
    let header = r#"{"alg":"PS256"}"#;
    // The forger's encoder agrees.
    let right = token_signed_by(header, |input| {
        pss_forge_with(&private, input, &[3; 32], sha256, |_| {}).unwrap()
    });
    assert_eq!(check(&v, &right), Ok(()));
    // The same EM with a non-zero byte before it (an integer of 257 significant bytes, still
    // below n for some salts): everything after that byte is a valid encoding.
    let mut tried = 0;
    let token = (0u8..=255)
        .find_map(|fill| {
            tried += 1;
            let token = token_signed_by(header, |input| {
                pss_forge_with(&private, input, &[fill; 32], sha256, |em| em[0] = 1)
                    .unwrap_or_default()
            });
            (!token.ends_with('.')).then_some(token)
        })
        .unwrap();
    assert!(tried < 64, "{tried} salts");
    assert_eq!(check(&v, &token), Err(Error::BadSignature));
}

// ---- ES384 --------------------------------------------------------------------------------------

/// P-384 group order n.
const N384: [u8; 48] = [
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xc7, 0x63, 0x4d, 0x81, 0xf4, 0x37, 0x2d, 0xdf,
    0x58, 0x1a, 0x0d, 0xb2, 0x48, 0xb0, 0xa7, 0x7a, 0xec, 0xec, 0x19, 0x6a, 0xcc, 0xc5, 0x29, 0x73,
];

const ES384_HEADER: &str = r#"{"alg":"ES384","kid":"es384"}"#;

/// The sample ES256 key (kid `es256-test`) and the ES384 test key (kid `es384`).
fn es256_and_es384() -> Verifier<'static, 'static> {
    verifier_with(vec![
        Key::es256(common::samples().es256()).with_kid("es256-test"),
        Key::es384(common::es384_key()).with_kid("es384"),
    ])
}

fn with_signature(header: &str, signature: &[u8]) -> String {
    token_signed_by(header, |_| signature.to_vec())
}

/// The signature of a token, decoded.
fn signature_of(token: &str) -> Vec<u8> {
    base64ct_decode(token.rsplit('.').next().unwrap())
}

#[test]
fn es384_verifies_with_and_without_kid_and_high_s() {
    let v = es256_and_es384();
    let token = mint(Signer::Es384, ES384_HEADER, CLAIMS);
    assert_eq!(signature_of(&token).len(), 96);
    assert_eq!(check(&v, &token), Ok(()));
    let without = mint(Signer::Es384, r#"{"alg":"ES384"}"#, CLAIMS);
    assert_eq!(check(&v, &without), Ok(()));
    // s' = n - s is an equally valid ECDSA signature: ES384, like ES256, does not require low s.
    let sig = signature_of(&token);
    let (r, s) = sig.split_at(48);
    let flipped = with_signature(ES384_HEADER, &[r, &sub_be(&N384, s)[..]].concat());
    assert_ne!(flipped, token);
    assert_eq!(check(&v, &flipped), Ok(()));
}

#[test]
fn es384_and_es256_keys_never_stand_in_for_each_other() {
    let v = es256_and_es384();
    // A genuine ES384 signature (96 bytes) under an ES256 header, for the ES256 key.
    let es384_as_es256 =
        token_signed_by(es_header(true), |input| common::sign(Signer::Es384, input));
    assert_eq!(
        check(&v, &es384_as_es256),
        Err(Error::SignatureLength {
            len: 96,
            expected: 64
        })
    );
    // A genuine ES256 signature (64 bytes) under an ES384 header, for the ES384 key.
    let es256_as_es384 = token_signed_by(ES384_HEADER, |input| common::sign(Signer::Es256, input));
    assert_eq!(
        check(&v, &es256_as_es384),
        Err(Error::SignatureLength {
            len: 64,
            expected: 96
        })
    );
    // An ES384 token whose header says ES256 and names the ES384 key.
    let relabelled = token_signed_by(r#"{"alg":"ES256","kid":"es384"}"#, |input| {
        common::sign(Signer::Es384, input)
    });
    assert_eq!(
        check(&v, &relabelled),
        Err(Error::AlgMismatch {
            token: Alg::Es256,
            key: Alg::Es384
        })
    );
    // ... without a kid, with the ES384 key alone: no ES256 key to try.
    let unnamed = token_signed_by(r#"{"alg":"ES256"}"#, |input| {
        common::sign(Signer::Es384, input)
    });
    let es384_only = verifier_with(vec![Key::es384(common::es384_key())]);
    assert_eq!(
        check(&es384_only, &unnamed),
        Err(Error::NoKeyForAlg { alg: Alg::Es256 })
    );
    assert_eq!(
        check(&v, &unnamed),
        Err(Error::SignatureLength {
            len: 96,
            expected: 64
        })
    );
    // Each algorithm's token naming the other algorithm's key.
    let es384_for_es256_key = mint(
        Signer::Es384,
        r#"{"alg":"ES384","kid":"es256-test"}"#,
        CLAIMS,
    );
    assert_eq!(
        check(&v, &es384_for_es256_key),
        Err(Error::AlgMismatch {
            token: Alg::Es384,
            key: Alg::Es256
        })
    );
    let es256_for_es384_key = mint(Signer::Es256, r#"{"alg":"ES256","kid":"es384"}"#, CLAIMS);
    assert_eq!(
        check(&v, &es256_for_es384_key),
        Err(Error::AlgMismatch {
            token: Alg::Es256,
            key: Alg::Es384
        })
    );
    let es256_only = verifier_with(vec![Key::es256(common::samples().es256())]);
    let es384 = mint(Signer::Es384, r#"{"alg":"ES384"}"#, CLAIMS);
    assert_eq!(
        check(&es256_only, &es384),
        Err(Error::NoKeyForAlg { alg: Alg::Es384 })
    );
    // The signature layer alone: each key takes its own length only.
    let message = b"signing input";
    let es256 = Key::es256(common::samples().es256());
    let es384 = Key::es384(common::es384_key());
    assert_eq!(
        es256.verify_signature(message, &common::sign(Signer::Es384, message)),
        Err(Error::SignatureLength {
            len: 96,
            expected: 64
        })
    );
    assert_eq!(
        es384.verify_signature(message, &common::sign(Signer::Es256, message)),
        Err(Error::SignatureLength {
            len: 64,
            expected: 96
        })
    );
    assert_eq!(
        es384.verify_signature(message, &common::sign(Signer::Es384, message)),
        Ok(())
    );
}

#[test]
fn es384_signature_lengths_and_der() {
    let v = es256_and_es384();
    let sig = signature_of(&mint(Signer::Es384, ES384_HEADER, CLAIMS));
    for len in [95usize, 97, 0, 48, 64, 98, 192] {
        let mut s = sig.clone();
        s.resize(len, 0);
        assert_eq!(
            check(&v, &with_signature(ES384_HEADER, &s)),
            Err(Error::SignatureLength { len, expected: 96 }),
            "{len}"
        );
    }
    // The same r, s as ASN.1 DER.
    let der = p384::ecdsa::Signature::from_slice(&sig).unwrap().to_der();
    let der = der.as_bytes();
    assert_eq!(
        check(&v, &with_signature(ES384_HEADER, der)),
        Err(Error::SignatureLength {
            len: der.len(),
            expected: 96
        })
    );
}

#[test]
fn es384_r_s_zero_and_n() {
    let v = es256_and_es384();
    let sig = signature_of(&mint(Signer::Es384, ES384_HEADER, CLAIMS));
    let (r, s) = sig.split_at(48);
    let zero = [0u8; 48];
    let mut one = [0u8; 48];
    one[47] = 1;
    let mut n_plus_1 = N384;
    n_plus_1[47] = n_plus_1[47].wrapping_add(1); // n + 1, above n
    for (name, r, s) in [
        ("r = s = 0", &zero[..], &zero[..]),
        ("r = 0", &zero[..], s),
        ("s = 0", r, &zero[..]),
        ("r = 1, s = 0", &one[..], &zero[..]),
        ("r = s = n", &N384[..], &N384[..]),
        ("r = n", &N384[..], s),
        ("s = n", r, &N384[..]),
        ("r = n + 1", &n_plus_1[..], s),
        ("s = n + 1", r, &n_plus_1[..]),
        ("r = s = 2^384 - 1", &[0xff; 48][..], &[0xff; 48][..]),
    ] {
        assert_eq!(
            check(&v, &with_signature(ES384_HEADER, &[r, s].concat())),
            Err(Error::BadSignature),
            "{name}"
        );
    }
    // The genuine r and s are fine.
    assert_eq!(
        check(&v, &with_signature(ES384_HEADER, &[r, s].concat())),
        Ok(())
    );
}

#[test]
fn es384_point_off_the_curve() {
    let good = common::es384_sec1();
    let mut off = good;
    off[96] ^= 1;
    let mut zero = [0u8; 97];
    zero[0] = 4;
    for (name, point) in [("y flipped", off), ("(0, 0)", zero)] {
        // The encoding is fine: `new` is a `const fn` that checks the prefix and the range.
        let key = Key::es384(common::leak(tokengate::Es384Key::new(&point).unwrap()));
        assert_eq!(key.validate(), Err(Error::InvalidKey), "{name}");
        let v = verifier_with(vec![key.with_kid("es384")]);
        // Not even the genuine key's token verifies: the point is refused on every use.
        let token = mint(Signer::Es384, ES384_HEADER, CLAIMS);
        assert_eq!(check(&v, &token), Err(Error::InvalidKey), "{name}");
        assert_eq!(
            key.verify_signature(b"m", &common::sign(Signer::Es384, b"m")),
            Err(Error::InvalidKey),
            "{name}"
        );
    }
    // Coordinates outside the field, a compressed prefix and the wrong prefix: refused by `new`.
    let p = hex::decode(
        "fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000ffffffff",
    )
    .unwrap();
    let mut x_is_p = good;
    x_is_p[1..49].copy_from_slice(&p);
    let mut y_is_p = good;
    y_is_p[49..].copy_from_slice(&p);
    let mut compressed = good;
    compressed[0] = 2;
    let mut hybrid = good;
    hybrid[0] = 6;
    for point in [x_is_p, y_is_p, compressed, hybrid] {
        assert_eq!(tokengate::Es384Key::new(&point), Err(Error::InvalidKey));
    }
    assert_eq!(Key::es384(common::es384_key()).validate(), Ok(()));
}

// ---- EdDSA (Ed25519) ----

/// The order L of Ed25519's base point, little-endian (RFC 8032 §5.1).
const ED25519_L: [u8; 32] = [
    0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
];

fn ed_verifier() -> Verifier<'static, 'static> {
    verifier_with(vec![common::ed25519_key().with_kid("ed")])
}

/// An Ed25519 key built from raw bytes, as `Key::ed25519` takes it.
fn ed_key(bytes: [u8; 32]) -> Key<'static> {
    Key::ed25519(common::leak(tokengate::Ed25519Key::new(&bytes).unwrap()))
}

#[test]
fn eddsa_sanity_both_spellings_verify() {
    let v = ed_verifier();
    for header in [
        r#"{"alg":"EdDSA"}"#,
        r#"{"alg":"Ed25519"}"#,
        r#"{"alg":"EdDSA","kid":"ed"}"#,
        r#"{"alg":"Ed25519","kid":"ed"}"#,
    ] {
        let token = token_signed_by(header, common::ed25519_sign);
        assert_eq!(check(&v, &token), Ok(()), "{header}");
    }
    // Exact and case-sensitive, like every other name.
    for alg in [
        "eddsa",
        "EDDSA",
        "ed25519",
        "ED25519",
        "EdDSA ",
        "Ed25519ph",
        "Ed25519ctx",
    ] {
        let token = token_signed_by(&format!(r#"{{"alg":"{alg}"}}"#), common::ed25519_sign);
        assert_eq!(check(&v, &token), Err(Error::UnsupportedAlg), "{alg:?}");
    }
}

/// RFC 8032 §5.1.7: S must be below L. S + L verifies under an equation that reduces S first
/// (a second valid signature for the same message: malleability); it is refused.
#[test]
fn eddsa_non_canonical_s_plus_l() {
    let v = ed_verifier();
    let token = token_signed_by(r#"{"alg":"EdDSA"}"#, |input| {
        let mut sig = common::ed25519_sign(input);
        let mut carry = 0u16;
        for (s, l) in sig[32..].iter_mut().zip(ED25519_L) {
            let sum = u16::from(*s) + u16::from(l) + carry;
            *s = sum as u8;
            carry = sum >> 8;
        }
        assert_eq!(carry, 0);
        sig
    });
    assert_eq!(check(&v, &token), Err(Error::BadSignature));
}

#[test]
fn eddsa_63_and_65_byte_signatures() {
    let v = ed_verifier();
    for len in [63, 65, 0, 32, 128] {
        let token = token_signed_by(r#"{"alg":"EdDSA"}"#, |input| {
            let mut sig = common::ed25519_sign(input);
            sig.resize(len, 0);
            sig
        });
        assert_eq!(
            check(&v, &token),
            Err(Error::SignatureLength { len, expected: 64 }),
            "{len}"
        );
    }
}

/// The all-zero key encodes y = 0, a point of order 4: refused at `validate` and at every use,
/// before any signature arithmetic.
#[test]
fn eddsa_all_zero_key() {
    let key = ed_key([0; 32]);
    assert_eq!(key.validate(), Err(Error::InvalidKey));
    let v = verifier_with(vec![key]);
    let token = token_signed_by(r#"{"alg":"EdDSA"}"#, |_| vec![0; 64]);
    assert_eq!(check(&v, &token), Err(Error::InvalidKey));
    let token = token_signed_by(r#"{"alg":"EdDSA"}"#, common::ed25519_sign);
    assert_eq!(check(&v, &token), Err(Error::InvalidKey));
}

/// A small-order key (here the identity) with R = identity and S = 0 satisfies the
/// cofactorless equation for every message: `[0]B = R + [k]A`. `verify_strict` and tokengate's
/// key check refuse the key.
#[test]
fn eddsa_small_order_key() {
    let mut identity = [0u8; 32];
    identity[0] = 1;
    let key = ed_key(identity);
    assert_eq!(key.validate(), Err(Error::InvalidKey));
    let v = verifier_with(vec![key]);
    let forged = token_signed_by(r#"{"alg":"EdDSA"}"#, |_| {
        let mut sig = vec![0u8; 64];
        sig[0] = 1; // R = identity, S = 0
        sig
    });
    assert_eq!(check(&v, &forged), Err(Error::InvalidKey));
    // The other small-order points: y = −1 (order 2), y = 0 with either sign (order 4).
    let mut minus_one = [0xffu8; 32];
    minus_one[0] = 0xec;
    minus_one[31] = 0x7f;
    let mut zero_negative = [0u8; 32];
    zero_negative[31] = 0x80;
    for bytes in [minus_one, zero_negative] {
        assert_eq!(
            ed_key(bytes).validate(),
            Err(Error::InvalidKey),
            "{bytes:?}"
        );
    }
    // A non-canonical encoding (y = p + 3, a point of large order once reduced) is refused by
    // the `const` constructor.
    let mut non_canonical = [0xffu8; 32];
    non_canonical[0] = 0xf0;
    non_canonical[31] = 0x7f;
    assert_eq!(
        tokengate::Ed25519Key::new(&non_canonical),
        Err(Error::InvalidKey)
    );
    non_canonical[0] = 0xec; // y = p − 1: canonical
    assert!(tokengate::Ed25519Key::new(&non_canonical).is_ok());
}

/// A small-order R (the identity) with a real key is refused by `verify_strict`.
#[test]
fn eddsa_small_order_r() {
    let v = ed_verifier();
    for r0 in [1u8, 0] {
        let token = token_signed_by(r#"{"alg":"EdDSA"}"#, |input| {
            let mut sig = common::ed25519_sign(input);
            sig[..32].fill(0);
            sig[0] = r0;
            sig
        });
        assert_eq!(check(&v, &token), Err(Error::BadSignature));
    }
}

#[test]
fn eddsa_ed448_is_not_supported() {
    let v = ed_verifier();
    let token = token_signed_by(r#"{"alg":"Ed448"}"#, |_| vec![0; 114]);
    assert_eq!(check(&v, &token), Err(Error::UnsupportedAlg));
}

/// An EdDSA token presented to an ES256 key and an ES256 token to an Ed25519 key: each key is
/// bound to its one algorithm.
#[test]
fn eddsa_and_es256_keys_do_not_cross() {
    let s = common::samples();
    let es_only = verifier_with(vec![Key::es256(s.es256()).with_kid("k")]);
    let ed_only = verifier_with(vec![common::ed25519_key().with_kid("k")]);
    for alg in ["EdDSA", "Ed25519"] {
        let with_kid = token_signed_by(
            &format!(r#"{{"alg":"{alg}","kid":"k"}}"#),
            common::ed25519_sign,
        );
        assert_eq!(
            check(&es_only, &with_kid),
            Err(Error::AlgMismatch {
                token: Alg::EdDsa,
                key: Alg::Es256
            })
        );
        let without = token_signed_by(&format!(r#"{{"alg":"{alg}"}}"#), common::ed25519_sign);
        assert_eq!(
            check(&es_only, &without),
            Err(Error::NoKeyForAlg { alg: Alg::EdDsa })
        );
        assert_eq!(check(&ed_only, &with_kid), Ok(()));
    }
    let es_token = mint(Signer::Es256, r#"{"alg":"ES256","kid":"k"}"#, CLAIMS);
    assert_eq!(
        check(&ed_only, &es_token),
        Err(Error::AlgMismatch {
            token: Alg::Es256,
            key: Alg::EdDsa
        })
    );
    // An ES256 token whose 64-byte r ‖ s is relabelled EdDSA: the Ed25519 key tries it, and it
    // is only a bad signature.
    let es_sig = mint(Signer::Es256, r#"{"alg":"ES256"}"#, CLAIMS);
    let sig = es_sig.rsplit_once('.').unwrap().1;
    let relabelled = format!(
        "{}.{}.{sig}",
        common::b64(br#"{"alg":"EdDSA"}"#),
        common::b64(CLAIMS.as_bytes())
    );
    assert_eq!(check(&ed_only, &relabelled), Err(Error::BadSignature));
}
