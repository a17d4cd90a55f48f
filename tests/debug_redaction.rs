//! No secret in any `Debug` output: every public type that holds HS256 secret material, or a
//! copy of one, is formatted with `{:?}`, `{:#?}`, `{:x?}` and `{:#X?}` and searched for every
//! spelling of the secret a formatter could produce (decimal and hex byte runs, the ASCII text,
//! base64url), while the output must still name what a developer needs (kid, issuer, algorithm,
//! lengths).
//!
//! Two secrets: 32 bytes of 0xA5 (so a single `165`, `a5` or `A5` anywhere is a leak) and an
//! ASCII one (so the text itself is searched for).
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

use common::{Signer, b64, hmac_sha256, mint};
use tokengate::{Buffers, Expected, Hs256Key, KEY_SET_TYP, Key, KeyRing, Policy, Verifier};

const BINARY: [u8; 32] = [0xA5; 32];
// Printable, and sharing no 8-character run with any kid, issuer or type name printed beside it.
const ASCII: &[u8] = b"Qx7!vR2#mZ9@kL4$wP8%nB3^jT6&hY1*uG5~";
const ISS: &str = "https://issuer.redaction.test";
const KID: &str = "door-hs-rotated";
const T: u64 = 1_767_229_200;

fn secrets() -> [&'static [u8]; 2] {
    [&BINARY, ASCII]
}

/// The four renderings a developer might log.
fn renderings(value: &impl core::fmt::Debug) -> [String; 4] {
    [
        format!("{value:?}"),
        format!("{value:#?}"),
        format!("{value:x?}"),
        format!("{value:#X?}"),
    ]
}

/// Fails if `output` holds any spelling of `secret` (or of 4 consecutive bytes of it).
fn assert_no_trace(what: &str, output: &str, secret: &[u8]) {
    let fail = |how: &str, needle: &str| {
        panic!("{what}: Debug output shows the secret ({how} {needle:?}):\n{output}")
    };
    if secret.iter().all(|&b| b == 0xA5) {
        // Every byte is 0xA5: any one of them printed is a leak.
        for needle in ["165", "a5", "A5", "paWl"] {
            if output.contains(needle) {
                fail("byte", needle);
            }
        }
    }
    // Decimal byte runs, whatever the separators (`[1, 2]`, one per line with `{:#?}`).
    let numbers: Vec<u64> = output
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .filter_map(|s| s.parse().ok())
        .collect();
    for window in secret.windows(4) {
        let window: Vec<u64> = window.iter().map(|&b| u64::from(b)).collect();
        if numbers.windows(4).any(|w| w == window.as_slice()) {
            fail("decimal run", &format!("{window:?}"));
        }
    }
    // Hex runs, both cases, contiguous or as separate numbers (`{:x?}` of a byte array).
    let hex_tokens: Vec<String> = output
        .replace("0x", " ")
        .split(|c: char| !c.is_ascii_hexdigit())
        .filter(|s| !s.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    for window in secret.windows(4) {
        let joined = hex::encode(window);
        if output.to_ascii_lowercase().contains(&joined) {
            fail("hex run", &joined);
        }
        let separate: Vec<String> = window.iter().map(|b| format!("{b:x}")).collect();
        if hex_tokens.windows(4).any(|w| w == separate.as_slice()) {
            fail("hex bytes", &separate.join(", "));
        }
    }
    // The text itself, for an ASCII secret: no 8 consecutive characters of it.
    if secret.is_ascii() {
        for window in secret.windows(8) {
            let text = std::str::from_utf8(window).unwrap();
            if output.contains(text) {
                fail("text", text);
            }
        }
    }
    // Base64url, as it travels in a key-set token's `k`.
    let encoded = b64(secret);
    for window in encoded.as_bytes().windows(8) {
        let text = std::str::from_utf8(window).unwrap();
        if output.contains(text) {
            fail("base64url", text);
        }
    }
}

/// Every rendering of `value` is free of `secret` and names each of `wanted`, and, with a
/// `length` label, shows `label: len` (in hex in the hex renderings).
fn check(
    what: &str,
    value: &impl core::fmt::Debug,
    secret: &[u8],
    wanted: &[&str],
    length: Option<&str>,
) {
    for (i, output) in renderings(value).iter().enumerate() {
        assert_no_trace(what, output, secret);
        let length = length.map(|label| match i {
            0 | 1 => format!("{label}: {}", secret.len()),
            2 => format!("{label}: {:x}", secret.len()),
            _ => format!("{label}: 0x{:X}", secret.len()),
        });
        for name in wanted.iter().copied().chain(length.as_deref()) {
            assert!(
                output.contains(name),
                "{what}: Debug output lacks {name:?}:\n{output}"
            );
        }
    }
}

/// The check must be able to fail: a plain dump of the secret is caught in every spelling.
#[test]
fn the_check_catches_a_leak() {
    for secret in secrets() {
        for output in renderings(&secret) {
            let caught = std::panic::catch_unwind(|| assert_no_trace("raw", &output, secret));
            assert!(caught.is_err(), "not caught: {output}");
        }
        let encoded = b64(secret);
        let caught = std::panic::catch_unwind(|| assert_no_trace("b64", &encoded, secret));
        assert!(caught.is_err());
    }
    let text = std::str::from_utf8(ASCII).unwrap();
    assert!(std::panic::catch_unwind(|| assert_no_trace("text", text, ASCII)).is_err());
    // And a clean output passes.
    assert_no_trace("clean", "Hs256Key { len: 32, .. }", &BINARY);
    assert_no_trace("clean", "Hs256Key { len: 32, .. }", ASCII);
}

#[test]
fn hs256_key() {
    for secret in secrets() {
        let key = Hs256Key::new(secret).unwrap();
        check("Hs256Key", &key, secret, &["Hs256Key"], Some("len"));
    }
}

/// Prepared HMAC keys hold hash states that forge tags as well as the secret does: their
/// `Debug`, and that of the key they lend, is the type and the secret's length, nothing else.
#[test]
fn prepared_hmac_keys() {
    for secret in secrets() {
        let prepared = tokengate::Hs256Prepared::new(secret).unwrap();
        check(
            "Hs256Prepared",
            &prepared,
            secret,
            &["Hs256Prepared"],
            Some("len"),
        );
        assert_eq!(
            format!("{prepared:?}"),
            format!("Hs256Prepared {{ len: {}, .. }}", secret.len())
        );
        check(
            "Key",
            &Key::hs256_prepared(&prepared).with_kid(KID),
            secret,
            &["Hs256", KID],
            None,
        );
    }
    let secret = &[0x5a; 64][..];
    let hs384 = tokengate::Hs384Prepared::new(secret).unwrap();
    assert_eq!(format!("{hs384:?}"), "Hs384Prepared { len: 64, .. }");
    let hs512 = tokengate::Hs512Prepared::new(secret).unwrap();
    assert_eq!(format!("{hs512:?}"), "Hs512Prepared { len: 64, .. }");
}

/// HS384 and HS512 keys (64-byte secrets, binary and text): their `Debug` and a `Key`'s name the
/// type or algorithm and the length, never a byte of the secret.
#[test]
fn hs384_and_hs512_keys() {
    let binary: [u8; 64] = core::array::from_fn(|i| (i as u8).wrapping_mul(37).wrapping_add(11));
    let text = b"an HS512 secret of exactly sixty-four printable bytes, no more!!";
    assert_eq!(text.len(), 64);
    for secret in [&binary[..], &text[..]] {
        let secret: &'static [u8] = Box::leak(secret.to_vec().into_boxed_slice());
        let hs384 = tokengate::Hs384Key::new(secret).unwrap();
        check("Hs384Key", &hs384, secret, &["Hs384Key"], Some("len"));
        let hs512 = tokengate::Hs512Key::new(secret).unwrap();
        check("Hs512Key", &hs512, secret, &["Hs512Key"], Some("len"));
        check(
            "Key",
            &Key::hs384(hs384).with_kid(KID),
            secret,
            &["Hs384", KID],
            None,
        );
        check(
            "Key",
            &Key::hs512(hs512).with_kid(KID),
            secret,
            &["Hs512", KID],
            None,
        );
    }
}

#[test]
fn key() {
    for secret in secrets() {
        let key = Key::hs256(Hs256Key::new(secret).unwrap())
            .with_kid(KID)
            .with_issuer(ISS);
        check("Key", &key, secret, &["Hs256", KID, ISS], None);
    }
}

#[test]
fn verifier() {
    for secret in secrets() {
        let keys = [Key::hs256(Hs256Key::new(secret).unwrap()).with_kid(KID)];
        let verifier = Verifier::new(
            &keys,
            Policy::new(Expected::Exactly(ISS), Expected::Exactly("door-17")),
        );
        // It holds the secret: a token signed with it verifies.
        let token = hs256_token(secret, KID);
        let mut buffers = Buffers::<1024>::new();
        let verified = verifier.verify(token, T, &mut buffers);
        assert_eq!(verified.map(|_| ()), Ok(()));
        check(
            "Verifier",
            &verifier,
            secret,
            &["Verifier", "Hs256", KID, ISS],
            None,
        );
    }
}

/// A ring with the secret rotated in (beside an ES256 and an RS256 key, so the listing is
/// mixed), the token that installed it still in the buffers.
fn ring_with(secret: &[u8], buffers: &mut Buffers<4096>) -> KeyRing<4> {
    let jwks = common::read_json(&common::data("keys/jwks.json"));
    let mut keys = jwks["keys"].as_array().unwrap()[..2].to_vec();
    keys.push(serde_json::json!({
        "kty": "oct", "kid": KID, "alg": "HS256", "iss": ISS, "k": b64(secret),
    }));
    let payload = serde_json::json!({ "ver": 7, "keys": keys }).to_string();
    let header = format!(r#"{{"alg":"ES256","kid":"rotation","typ":"{KEY_SET_TYP}"}}"#);
    let token = mint(Signer::Es256, &header, &payload);
    let rotation = [Key::es256(common::samples().es256()).with_kid("rotation")];
    let mut ring = KeyRing::<4>::new();
    assert_eq!(ring.install(&token, &rotation, 1, buffers), Ok(7));
    ring
}

/// `KeyRing` and, through it, `KeySlot` (its slots are only reachable through the ring's
/// `Debug`): before the fix, the derived `Debug` printed `secret: [165, 165, ...]`.
#[test]
fn key_ring_and_key_slot() {
    for secret in secrets() {
        let mut buffers = Buffers::<4096>::new();
        let ring = ring_with(secret, &mut buffers);
        // The ring holds the secret: the rotated key verifies a token signed with it.
        let keys = ring.keys();
        let verifier = Verifier::new(
            &keys,
            Policy::new(Expected::Exactly(ISS), Expected::Exactly("door-17")),
        );
        let token = hs256_token(secret, KID);
        let mut other = Buffers::<1024>::new();
        let verified = verifier.verify(token, T, &mut other);
        assert_eq!(verified.map(|_| ()), Ok(()));
        let named = [
            "KeyRing",
            "KeySlot",
            KID,
            ISS,
            "Hs256",
            "es256-test",
            "Es256",
            "rs256-2048-test",
            "Rs256",
        ];
        check("KeyRing", &ring, secret, &named, Some("secret_len"));
        check("KeyRing::keys", &keys, secret, &[KID, ISS, "Hs256"], None);
        check(
            "Verifier over a KeyRing",
            &verifier,
            secret,
            &[KID, ISS],
            None,
        );
        // The buffers still hold the key-set token's payload, secret included (base64url).
        check("Buffers", &buffers, secret, &["Buffers", "capacity"], None);
    }
}

#[test]
fn empty_key_ring_lists_no_slots() {
    let ring = KeyRing::<3>::new();
    assert_eq!(
        format!("{ring:?}"),
        "KeyRing { version: None, capacity: 3, keys: [] }"
    );
}

fn hs256_token(secret: &[u8], kid: &str) -> String {
    let header = format!(r#"{{"alg":"HS256","kid":"{kid}"}}"#);
    let claims = format!(
        r#"{{"iss":"{ISS}","aud":"door-17","exp":{},"iat":{}}}"#,
        T + 600,
        T - 60
    );
    let input = format!("{}.{}", b64(header.as_bytes()), b64(claims.as_bytes()));
    let tag = hmac_sha256(secret, input.as_bytes());
    format!("{input}.{}", b64(&tag))
}

/// `Jws` from `verify_jws`: a key-set token's payload carries HS256 secrets (base64url), so its
/// `Debug` shows the payload's length, never its bytes.
#[test]
fn jws_of_a_key_set() {
    for secret in secrets() {
        let keys = serde_json::json!([{
            "kty": "oct", "kid": KID, "alg": "HS256", "iss": ISS, "k": b64(secret),
        }]);
        let payload = serde_json::json!({ "ver": 7, "keys": keys }).to_string();
        let header = format!(r#"{{"alg":"ES256","kid":"rotation","typ":"{KEY_SET_TYP}"}}"#);
        let token = mint(Signer::Es256, &header, &payload);
        let rotation = [Key::es256(common::samples().es256()).with_kid("rotation")];
        let verifier = Verifier::new(
            &rotation,
            Policy::new(Expected::Exactly(ISS), Expected::Exactly("door-17")),
        );
        let mut buffers = Buffers::<4096>::new();
        let jws = verifier.verify_jws(&token, &mut buffers).unwrap();
        // The payload holds the secret.
        assert!(
            std::str::from_utf8(jws.payload())
                .unwrap()
                .contains(&b64(secret))
        );
        check(
            "Jws",
            &jws,
            secret,
            &["Jws", "Es256", "rotation", "payload_len"],
            None,
        );
        assert!(format!("{jws:?}").contains(&format!("payload_len: {}", payload.len())));
    }
}

/// An ES384 key holds no secret: its `Debug` names the type and the first 4 bytes of `x`, short
/// enough for a log line, in every rendering; a `Key` of it names the algorithm and the kid.
#[test]
fn es384_key_is_short() {
    let point = common::es384_sec1();
    let key = common::es384_key();
    let x = hex::encode(&point[1..5]);
    assert_eq!(
        format!("{key:?}"),
        format!("Es384Key {{ x: {x}\u{2026}, .. }}")
    );
    for output in renderings(key) {
        assert!(output.len() < 64, "{output}");
        // Nothing of the point past its first 4 bytes.
        let rest = hex::encode(&point[5..9]);
        assert!(!output.to_ascii_lowercase().contains(&rest), "{output}");
    }
    let provisioned = Key::es384(key).with_kid("door-p384");
    let output = format!("{provisioned:?}");
    assert!(output.contains("Es384"), "{output}");
    assert!(output.contains("door-p384"), "{output}");
}
