//! The attack tokens of the C tests: minted here (HS256 with the sample secret, so each one is
//! refused for the reason named, not for its signature), checked through the C API from Rust,
//! and written to `tests/c/attack_tokens.h`, which the host C tests run under ASan and UBSan.
//! The committed file must be what this generates: `TOKENGATE_BLESS=1` rewrites it.

// Test code: a panic is a failed test, and the arithmetic is on small known lengths.
#![allow(clippy::arithmetic_side_effects, clippy::indexing_slicing)]

use std::format;
use std::path::Path;
use std::string::{String, ToString};
use std::vec::Vec;

use hmac::{Hmac, KeyInit, Mac};

use crate::*;

const ISS: &str = "https://issuer.tokengate.test";
const NOW: u64 = 1_767_229_200;
const CLAIMS: &str = r#"{"iss":"https://issuer.tokengate.test","sub":"device-operator","aud":"door-17","exp":4102444800,"iat":1767225600,"scope":"door:open door:status","jti":"c-1"}"#;

fn b64(data: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for chunk in data.chunks(3) {
        let mut n = [0u8; 3];
        n[..chunk.len()].copy_from_slice(chunk);
        let v = u32::from(n[0]) << 16 | u32::from(n[1]) << 8 | u32::from(n[2]);
        for i in 0..=chunk.len() {
            out.push(char::from(
                ALPHABET[usize::try_from((v >> (18 - 6 * i)) & 63).unwrap()],
            ));
        }
    }
    out
}

fn secret() -> Vec<u8> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    std::fs::read(root.join("tests/data/keys/hs256.secret")).unwrap()
}

fn tag(input: &str) -> Vec<u8> {
    let mut mac = <Hmac<sha2::Sha256> as KeyInit>::new_from_slice(&secret()).unwrap();
    mac.update(input.as_bytes());
    mac.finalize().into_bytes().to_vec()
}

/// An HS256 token over `header` and `claims` as given, byte for byte.
fn hs256(header: &str, claims: &str) -> String {
    let input = format!("{}.{}", b64(header.as_bytes()), b64(claims.as_bytes()));
    format!("{input}.{}", b64(&tag(&input)))
}

const HS: &str = r#"{"alg":"HS256","typ":"JWT"}"#;

fn claims_with(extra: &str) -> String {
    CLAIMS.replacen('{', &format!("{{{extra},"), 1)
}

/// (name, token, expected status name).
fn cases() -> Vec<(&'static str, String, &'static str)> {
    let valid = hs256(HS, CLAIMS);
    let mut bad_signature = valid.clone();
    let dot = bad_signature.rfind('.').unwrap() + 1;
    let first = bad_signature.as_bytes()[dot];
    bad_signature.replace_range(dot..=dot, if first == b'A' { "B" } else { "A" });
    let (signing_input, signature) = valid.rsplit_once('.').unwrap();
    let truncated = format!("{signing_input}.{}", b64(&tag(signing_input)[..31]));
    // The last character of a 43-character signature carries 4 bits and 2 unused ones.
    let last = signature.as_bytes()[signature.len() - 1];
    let index = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
        .iter()
        .position(|&c| c == last)
        .unwrap();
    let alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let sloppy = &alphabet[(index | 1)..=(index | 1)];
    let trailing_bits = format!(
        "{signing_input}.{}{}",
        &signature[..signature.len() - 1],
        if index & 1 == 0 {
            sloppy
        } else {
            &alphabet[index..=index]
        }
    );
    let (h, rest) = valid.split_once('.').unwrap();
    let padded = format!("{h}=.{rest}");
    let deep = claims_with(&format!(
        r#""x":{}{}"#,
        "[".repeat(tg::MAX_DEPTH),
        "]".repeat(tg::MAX_DEPTH)
    ));
    let big = claims_with(&format!(r#""pad":"{}""#, "a".repeat(1700)));
    let huge = claims_with(&format!(r#""pad":"{}""#, "a".repeat(2100)));
    let mut list = Vec::new();
    let mut case = |name, token: String, status| list.push((name, token, status));
    case("valid HS256", valid.clone(), "TOKENGATE_STATUS_OK");
    case(
        "aud array and escaped iss",
        hs256(
            HS,
            r#"{"iss":"https:\/\/issuer.tokengate.test","aud":["door-16","door-17"],"exp":4102444800,"scp":["door:open","x"]}"#,
        ),
        "TOKENGATE_STATUS_OK",
    );
    case(
        "alg none, empty signature",
        format!("{}.{}.", b64(br#"{"alg":"none"}"#), b64(CLAIMS.as_bytes())),
        "TOKENGATE_STATUS_ALG_NONE",
    );
    case(
        "alg NoNe, signed",
        hs256(r#"{"alg":"NoNe"}"#, CLAIMS),
        "TOKENGATE_STATUS_ALG_NONE",
    );
    case(
        "alg swap: HS256 naming the ES256 key",
        hs256(r#"{"alg":"HS256","kid":"es256-test"}"#, CLAIMS),
        "TOKENGATE_STATUS_ALG_MISMATCH",
    );
    case(
        "alg swap: HS256 naming an RSA key",
        hs256(r#"{"alg":"HS256","kid":"rs256-2048-test"}"#, CLAIMS),
        "TOKENGATE_STATUS_ALG_MISMATCH",
    );
    case(
        "unsupported alg",
        hs256(r#"{"alg":"HS257"}"#, CLAIMS),
        "TOKENGATE_STATUS_UNSUPPORTED_ALG",
    );
    case(
        "bad signature",
        bad_signature,
        "TOKENGATE_STATUS_BAD_SIGNATURE",
    );
    case(
        "signature one byte short",
        truncated,
        "TOKENGATE_STATUS_SIGNATURE_LENGTH",
    );
    case(
        "expired",
        hs256(HS, &CLAIMS.replace("4102444800", "1767229200")),
        "TOKENGATE_STATUS_EXPIRED",
    );
    case(
        "not yet valid",
        hs256(HS, &claims_with(r#""nbf":4000000000"#)),
        "TOKENGATE_STATUS_NOT_YET_VALID",
    );
    case(
        "issued in the future",
        hs256(HS, &CLAIMS.replace("1767225600", "4000000000")),
        "TOKENGATE_STATUS_ISSUED_IN_FUTURE",
    );
    case(
        "missing exp",
        hs256(HS, &CLAIMS.replace(r#""exp":4102444800,"#, "")),
        "TOKENGATE_STATUS_MISSING_MEMBER",
    );
    case(
        "wrong audience",
        hs256(HS, &CLAIMS.replace("door-17", "door-18")),
        "TOKENGATE_STATUS_WRONG_AUDIENCE",
    );
    case(
        "wrong issuer",
        hs256(HS, &CLAIMS.replace("issuer.tokengate", "evil.tokengate")),
        "TOKENGATE_STATUS_WRONG_ISSUER",
    );
    case(
        "missing scope",
        hs256(HS, &CLAIMS.replace("door:open ", "")),
        "TOKENGATE_STATUS_MISSING_SCOPE",
    );
    case(
        "duplicate member in the header",
        hs256(r#"{"alg":"HS256","alg":"HS256"}"#, CLAIMS),
        "TOKENGATE_STATUS_DUPLICATE_MEMBER",
    );
    case(
        "duplicate member in the claims, escaped",
        hs256(HS, &claims_with(r#""\u0065xp":1"#)),
        "TOKENGATE_STATUS_DUPLICATE_MEMBER",
    );
    case(
        "nesting one level too deep",
        hs256(HS, &deep),
        "TOKENGATE_STATUS_TOO_DEEP",
    );
    case(
        "non-canonical base64: padding",
        padded,
        "TOKENGATE_STATUS_BASE64",
    );
    case(
        "non-canonical base64: unused bits set",
        trailing_bits,
        "TOKENGATE_STATUS_BASE64",
    );
    case(
        "crit header",
        hs256(r#"{"alg":"HS256","crit":["exp"]}"#, CLAIMS),
        "TOKENGATE_STATUS_CRIT_HEADER",
    );
    case(
        "b64 header",
        hs256(r#"{"alg":"HS256","b64":false}"#, CLAIMS),
        "TOKENGATE_STATUS_UNENCODED_PAYLOAD",
    );
    case(
        "two segments",
        valid.rsplit_once('.').unwrap().0.to_string(),
        "TOKENGATE_STATUS_SEGMENT_COUNT",
    );
    case(
        "header not JSON",
        hs256("{alg:HS256}", CLAIMS),
        "TOKENGATE_STATUS_JSON",
    );
    case(
        "claims not an object",
        hs256(HS, "[1]"),
        "TOKENGATE_STATUS_NOT_AN_OBJECT",
    );
    case(
        "exp of the wrong type",
        hs256(HS, &CLAIMS.replace("4102444800", "\"4102444800\"")),
        "TOKENGATE_STATUS_INVALID_MEMBER",
    );
    case(
        "larger than the buffers",
        hs256(HS, &big),
        "TOKENGATE_STATUS_TOO_LARGE",
    );
    case(
        "longer than TOKENGATE_MAX_TOKEN_LEN",
        hs256(HS, &huge),
        "TOKENGATE_STATUS_TOO_LARGE",
    );
    list
}

fn status_value(name: &str) -> tokengate_status {
    (0..=60)
        .find(|&s| {
            // SAFETY: tokengate_status_str returns a static NUL-terminated string.
            let text = unsafe { core::ffi::CStr::from_ptr(tokengate_status_str(s)) };
            let text = text.to_str().unwrap();
            name.strip_prefix("TOKENGATE_STATUS_")
                .is_some_and(|n| text.split(':').next() == Some(n))
        })
        .unwrap()
}

fn c_string(text: &str) -> String {
    let mut out = String::from("\"");
    for (i, c) in text.chars().enumerate() {
        if i > 0 && i % 96 == 0 {
            out.push_str("\"\n        \"");
        }
        match c {
            '"' | '\\' | '?' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out.push('"');
    out
}

#[test]
fn attack_tokens_get_their_status_and_match_the_c_header() {
    let es256 = [
        0x04u8, 0x06, 0x58, 0x56, 0xe8, 0x3e, 0x37, 0xd1, 0x85, 0xe1, 0x93, 0xc2, 0x36, 0x50, 0x60,
        0x87, 0x19, 0xbd, 0xed, 0x08, 0xbd, 0x94, 0xa7, 0xda, 0x9a, 0x15, 0x34, 0x9b, 0x87, 0xe9,
        0xdb, 0xb4, 0x8a, 0x75, 0xac, 0x4d, 0x9a, 0x48, 0x67, 0x9c, 0xde, 0x5f, 0x8e, 0x32, 0x7a,
        0xec, 0x0b, 0xdc, 0x0e, 0x0d, 0x4b, 0x64, 0x22, 0x9d, 0x26, 0x3b, 0x03, 0x92, 0x6b, 0x8a,
        0xfe, 0xa3, 0xdb, 0x10, 0x42,
    ];
    let secret = secret();
    let es256_kid = "es256-test";
    let rsa_kid = "rs256-2048-test";
    let modulus = [0xc5u8; 256].map(|b| b); // Any odd 2048-bit modulus: only its kid matters here.
    let mut modulus = modulus;
    modulus[255] = 0x0b;
    let keys = [
        tokengate_key {
            alg: TOKENGATE_ALG_ES256,
            rsa_exponent: 0,
            material: es256.as_ptr(),
            material_len: es256.len(),
            kid: tokengate_str::of(es256_kid),
            issuer: tokengate_str::NONE,
            external_verify: None,
            external_handle: core::ptr::null_mut(),
        },
        tokengate_key {
            alg: TOKENGATE_ALG_RS256,
            rsa_exponent: 65537,
            material: modulus.as_ptr(),
            material_len: modulus.len(),
            kid: tokengate_str::of(rsa_kid),
            issuer: tokengate_str::NONE,
            external_verify: None,
            external_handle: core::ptr::null_mut(),
        },
        tokengate_key {
            alg: TOKENGATE_ALG_HS256,
            rsa_exponent: 0,
            material: secret.as_ptr(),
            material_len: secret.len(),
            kid: tokengate_str::NONE,
            issuer: tokengate_str::NONE,
            external_verify: None,
            external_handle: core::ptr::null_mut(),
        },
    ];
    let issuers = [tokengate_str::of(ISS)];
    let audiences = [tokengate_str::of("door-17")];
    let scopes = [tokengate_str::of("door:open")];
    let policy = tokengate_policy {
        issuers: issuers.as_ptr(),
        n_issuers: 1,
        audiences: audiences.as_ptr(),
        n_audiences: 1,
        scopes: scopes.as_ptr(),
        n_scopes: 1,
        typ: tokengate_str::NONE,
        leeway: 0,
        max_age: 0,
        flags: 0,
    };
    let mut buffers = std::boxed::Box::new(tokengate_buffers {
        opaque: [0; TOKENGATE_BUFFERS_SIZE],
    });
    let mut claims = tokengate_claims::EMPTY_CLAIMS;
    let mut header = String::from(
        "/* Generated by capi/src/vectors.rs (`TOKENGATE_BLESS=1 cargo test -p tokengate-capi`).\n\
         * Do not edit. HS256 tokens minted byte-exact with tests/data/keys/hs256.secret: each is\n\
         * refused for the reason named. Verified at TOKENGATE_TEST_NOW with issuer\n\
         * https://issuer.tokengate.test, audience door-17 and scope door:open required. */\n\
         #ifndef ATTACK_TOKENS_H\n#define ATTACK_TOKENS_H\n\n#include \"tokengate.h\"\n\n",
    );
    header.push_str(&format!("#define TOKENGATE_TEST_NOW {NOW}ULL\n\n"));
    header.push_str(
        "struct attack_case {\n    const char *name;\n    const char *token;\n    tokengate_status expected;\n};\n\n",
    );
    header.push_str("static const struct attack_case ATTACK_CASES[] = {\n");
    for (name, token, expected) in cases() {
        // SAFETY: every pointer is valid for the call.
        let status = unsafe {
            tokengate_verify(
                keys.as_ptr(),
                keys.len(),
                &policy,
                NOW,
                token.as_ptr(),
                token.len(),
                &mut *buffers,
                &mut claims,
            )
        };
        // SAFETY: a static NUL-terminated string.
        let got = unsafe { core::ffi::CStr::from_ptr(tokengate_status_str(status)) };
        assert_eq!(status, status_value(expected), "{name}: {got:?}");
        header.push_str(&format!(
            "    {{\n        {},\n        {},\n        {expected},\n    }},\n",
            c_string(name),
            c_string(&token)
        ));
    }
    header.push_str("};\n\n#endif /* ATTACK_TOKENS_H */\n");
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/c/attack_tokens.h");
    if std::env::var_os("TOKENGATE_BLESS").is_some() {
        std::fs::write(&path, &header).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == header,
        "capi/tests/c/attack_tokens.h is not what capi/src/vectors.rs generates; re-run with \
         TOKENGATE_BLESS=1 if the change is intended"
    );
}
