//! Zero allocation: a counting global allocator watches every verification path (ES256,
//! ES384, RS256-2048/3072/4096, RS384, RS512, PS256, PS384, PS512, HS256, HS384, HS512, EdDSA,
//! rejections, the
//! caller's claims type) and must see nothing.
#![allow(unsafe_code)] // GlobalAlloc is an unsafe trait.
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

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use common::{AUD, ISS, NOW, Signer, mint};
use tokengate::{
    Alg, AnchoredClock, Buffers, Error, Expected, KEY_SET_TYP, Key, KeyRing, OfflineGate, Policy,
    ReplayGuard, Verifier,
};

struct Counting;

thread_local! {
    static WATCHING: Cell<bool> = const { Cell::new(false) };
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

fn note() {
    // `try_with`: the allocator may run while thread-locals are being torn down.
    let _ = WATCHING.try_with(|w| {
        if w.get() {
            let _ = ALLOCATIONS.try_with(|a| a.set(a.get() + 1));
        }
    });
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        note();
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        note();
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        note();
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Runs `f` and returns how many allocations it made on this thread.
fn allocations<T>(f: impl FnOnce() -> T) -> (T, usize) {
    ALLOCATIONS.with(|a| a.set(0));
    WATCHING.with(|w| w.set(true));
    let out = f();
    WATCHING.with(|w| w.set(false));
    (out, ALLOCATIONS.with(Cell::get))
}

#[test]
fn the_counter_counts() {
    let (_, n) = allocations(|| std::hint::black_box(vec![1u8; 10]));
    assert_eq!(n, 1);
}

#[derive(serde::Deserialize)]
#[allow(dead_code)]
struct Custom<'a> {
    #[serde(rename = "clientId")]
    client_id: &'a str,
    name: heapless::String<32>,
}

#[test]
fn verification_never_allocates() {
    static SCOPES: [&str; 1] = ["door:open"];
    let verifier = Verifier::new(
        common::samples().keys(),
        Policy::new(Expected::Exactly(ISS), Expected::Exactly(AUD)).with_scopes(&SCOPES),
    );
    let claims = r#"{"iss":"https:\/\/issuer.tokengate.test","aud":["x","door-17"],"exp":4102444800,"scope":["door:open"],"clientId":"c1","name":"\u00e9"}"#;
    let tokens: Vec<(String, Result<(), Error>)> = vec![
        (
            mint(
                Signer::Es256,
                r#"{"alg":"ES256","kid":"es256-test"}"#,
                claims,
            ),
            Ok(()),
        ),
        (
            mint(Signer::Rs256(2048), r#"{"alg":"RS256"}"#, claims),
            Ok(()),
        ),
        (
            mint(
                Signer::Rs256(3072),
                r#"{"alg":"RS256","kid":"rs256-3072-test"}"#,
                claims,
            ),
            Ok(()),
        ),
        (
            mint(
                Signer::Rs256(4096),
                r#"{"alg":"RS256","kid":"rs256-4096-test"}"#,
                claims,
            ),
            Ok(()),
        ),
        (mint(Signer::Hs256, r#"{"alg":"HS256"}"#, claims), Ok(())),
        (
            mint(
                Signer::Hs256,
                r#"{"alg":"HS256"}"#,
                &claims.replace("4102444800", "1"),
            ),
            Err(Error::Expired { now: NOW, exp: 1 }),
        ),
        (
            "not.a.token".to_owned(),
            Err(Error::Base64 {
                segment: tokengate::Segment::Header,
            }),
        ),
        (
            mint(
                Signer::Es256,
                r#"{"alg":"ES256"}"#,
                &format!("{{\"x\":{}}}", "[".repeat(500)),
            ),
            Err(Error::TooDeep {
                part: tokengate::Part::Claims,
            }),
        ),
    ];
    let mut buffers = Box::new(Buffers::<2048>::new());
    for (token, expected) in &tokens {
        let (outcome, n) = allocations(|| verifier.verify(token, NOW, &mut buffers).map(|_| ()));
        assert_eq!(&outcome, expected, "{token}");
        assert_eq!(n, 0, "verify allocated for {token}");
        let (outcome, n) = allocations(|| {
            verifier
                .verify_with_claims::<Custom<'_>, 2048>(token, NOW, &mut buffers)
                .map(|_| ())
        });
        assert_eq!(&outcome, expected);
        assert_eq!(n, 0, "verify_with_claims allocated for {token}");
    }
}

#[test]
fn offline_gate_and_rotation_never_allocate() {
    let verifier = Verifier::new(
        common::samples().keys(),
        Policy::new(Expected::Exactly(ISS), Expected::Exactly(AUD)).with_iat_as_time(),
    );
    let claims = r#"{"iss":"https://issuer.tokengate.test","aud":"door-17","exp":4102444800,"iat":1767229000,"jti":"j1"}"#;
    let token = mint(Signer::Es256, r#"{"alg":"ES256"}"#, claims);
    let clock = AnchoredClock::new(1_700_000_000, 0, 1000).unwrap();
    let mut gate = OfflineGate::new(clock, ReplayGuard::<8>::new());
    let mut buffers = Box::new(Buffers::<4096>::new());
    let (outcome, n) = allocations(|| gate.admit(&verifier, &token, 10, &mut buffers).map(|_| ()));
    assert_eq!(outcome, Ok(()));
    assert_eq!(n, 0, "admit allocated");
    let (outcome, n) = allocations(|| gate.admit(&verifier, &token, 20, &mut buffers).map(|_| ()));
    assert_eq!(outcome, Err(Error::Replayed));
    assert_eq!(n, 0, "a refused replay allocated");
    let mut saved = [0u8; ReplayGuard::<8>::SAVED_LEN];
    let (len, n) = allocations(|| gate.replay_guard().save(&mut saved).unwrap());
    assert_eq!(n, 0);
    let (loaded, n) = allocations(|| ReplayGuard::<8>::load(&saved[..len]));
    assert_eq!(loaded.as_ref(), Ok(gate.replay_guard()));
    assert_eq!(n, 0);

    let jwks = std::fs::read_to_string(common::data("keys/jwks.json")).unwrap();
    let payload = jwks.replacen('{', r#"{"ver":2,"#, 1);
    let header = format!(r#"{{"alg":"RS256","typ":"{KEY_SET_TYP}"}}"#);
    let rotation = mint(Signer::Rs256(2048), &header, &payload);
    let rotation_keys = [Key::rs256(common::samples().rsa2048())];
    let mut ring = Box::new(KeyRing::<4>::new());
    let (outcome, n) = allocations(|| ring.install(&rotation, &rotation_keys, 1, &mut buffers));
    assert_eq!(outcome, Ok(2));
    assert_eq!(n, 0, "key rotation allocated");
    let (keys, n) = allocations(|| ring.keys().len());
    assert_eq!((keys, n), (4, 0));
}

/// One token of each RS384, RS512, PS256, PS384, PS512, HS384, HS512 key (4096-bit RSA for the
/// largest PSS buffers), valid and tampered, through `verify` and `verify_jws`: no allocation.
#[test]
fn new_algorithms_never_allocate() {
    let mut keys = vec![common::hs384_key(), common::hs512_key()];
    let mut signers = vec![Signer::Hs384, Signer::Hs512];
    for (bits, alg) in [
        (2048, Alg::Rs384),
        (3072, Alg::Rs512),
        (2048, Alg::Ps256),
        (4096, Alg::Ps384),
        (4096, Alg::Ps512),
    ] {
        keys.push(common::rsa_key(bits, alg));
        signers.push(Signer::Rsa(bits, alg));
    }
    let keys: &'static [Key<'static>] = Box::leak(keys.into_boxed_slice());
    let verifier = Verifier::new(
        keys,
        Policy::new(Expected::Exactly(ISS), Expected::Exactly(AUD)),
    );
    let claims = r#"{"iss":"https://issuer.tokengate.test","aud":"door-17","exp":4102444800}"#;
    let mut buffers = Box::new(Buffers::<2048>::new());
    for signer in signers {
        let token = mint(signer, &format!(r#"{{"alg":"{}"}}"#, signer.alg()), claims);
        let (outcome, n) = allocations(|| verifier.verify(&token, NOW, &mut buffers).map(|_| ()));
        assert_eq!(outcome, Ok(()), "{signer:?}");
        assert_eq!(n, 0, "verify allocated for {signer:?}");
        let (outcome, n) = allocations(|| verifier.verify_jws(&token, &mut buffers).map(|_| ()));
        assert_eq!(outcome, Ok(()), "{signer:?}");
        assert_eq!(n, 0, "verify_jws allocated for {signer:?}");
        // The last signature character changed: a bad signature, still no allocation.
        let mut tampered = token.clone();
        let last = tampered.pop().unwrap();
        tampered.push(if last == 'A' { 'Q' } else { 'A' });
        let (outcome, n) =
            allocations(|| verifier.verify(&tampered, NOW, &mut buffers).map(|_| ()));
        assert!(outcome.is_err(), "{signer:?}");
        assert_eq!(n, 0, "a rejection allocated for {signer:?}");
    }
}

/// ES384 on the `p384` crate: a valid token, a tampered one, a signature of the wrong length, a
/// key off the curve and `Key::validate`, through `verify`, `verify_jws` and the signature
/// layer: no allocation.
#[test]
fn es384_never_allocates() {
    let keys: &'static [Key<'static>] =
        Box::leak(vec![Key::es384(common::es384_key()).with_kid("es384")].into_boxed_slice());
    let verifier = Verifier::new(
        keys,
        Policy::new(Expected::Exactly(ISS), Expected::Exactly(AUD)),
    );
    let claims = r#"{"iss":"https://issuer.tokengate.test","aud":"door-17","exp":4102444800}"#;
    let mut buffers = Box::new(Buffers::<2048>::new());
    let token = mint(Signer::Es384, r#"{"alg":"ES384","kid":"es384"}"#, claims);
    let (outcome, n) = allocations(|| verifier.verify(&token, NOW, &mut buffers).map(|_| ()));
    assert_eq!(outcome, Ok(()));
    assert_eq!(n, 0, "an ES384 verify allocated");
    let (outcome, n) = allocations(|| verifier.verify_jws(&token, &mut buffers).map(|_| ()));
    assert_eq!(outcome, Ok(()));
    assert_eq!(n, 0, "an ES384 verify_jws allocated");
    let mut tampered = token.clone();
    let last = tampered.pop().unwrap();
    tampered.push(if last == 'A' { 'Q' } else { 'A' });
    let (outcome, n) = allocations(|| verifier.verify(&tampered, NOW, &mut buffers).map(|_| ()));
    assert_eq!(outcome, Err(Error::BadSignature));
    assert_eq!(n, 0, "an ES384 rejection allocated");
    let (outcome, n) = allocations(|| keys[0].verify_signature(b"message", &[1u8; 95]));
    assert_eq!(
        outcome,
        Err(Error::SignatureLength {
            len: 95,
            expected: 96
        })
    );
    assert_eq!(n, 0);
    let (outcome, n) = allocations(|| keys[0].validate());
    assert_eq!((outcome, n), (Ok(()), 0));
    let mut off = common::es384_sec1();
    off[96] ^= 1;
    let off = Key::es384(common::leak(tokengate::Es384Key::new(&off).unwrap()));
    let (outcome, n) = allocations(|| off.validate());
    assert_eq!((outcome, n), (Err(Error::InvalidKey), 0));
    let (outcome, n) = allocations(|| off.verify_signature(b"message", &[1u8; 96]));
    assert_eq!((outcome, n), (Err(Error::InvalidKey), 0));
}

/// EdDSA tokens under both names, valid, tampered, 63 bytes and S + L, through `verify` and
/// `verify_jws`, and a small-order key: no allocation.
#[cfg(feature = "eddsa")]
#[test]
fn eddsa_never_allocates() {
    let zero = common::leak(tokengate::Ed25519Key::new(&[0; 32]).unwrap());
    let keys: &'static [Key<'static>] = Box::leak(
        vec![
            common::ed25519_key().with_kid("ed"),
            Key::ed25519(zero).with_kid("zero"),
        ]
        .into_boxed_slice(),
    );
    let verifier = Verifier::new(
        keys,
        Policy::new(Expected::Exactly(ISS), Expected::Exactly(AUD)),
    );
    let claims = r#"{"iss":"https://issuer.tokengate.test","aud":"door-17","exp":4102444800}"#;
    let token = |header: &str, edit: &dyn Fn(&mut Vec<u8>)| {
        let input = format!(
            "{}.{}",
            common::b64(header.as_bytes()),
            common::b64(claims.as_bytes())
        );
        let mut sig = common::ed25519_sign(input.as_bytes());
        edit(&mut sig);
        format!("{input}.{}", common::b64(&sig))
    };
    let cases: Vec<(String, Result<(), Error>)> = vec![
        (token(r#"{"alg":"EdDSA"}"#, &|_| {}), Ok(())),
        (token(r#"{"alg":"Ed25519","kid":"ed"}"#, &|_| {}), Ok(())),
        (
            token(r#"{"alg":"EdDSA"}"#, &|s| s[5] ^= 1),
            Err(Error::BadSignature),
        ),
        (
            token(r#"{"alg":"EdDSA"}"#, &|s| s.truncate(63)),
            Err(Error::SignatureLength {
                len: 63,
                expected: 64,
            }),
        ),
        (
            // S + 2^252 (the top byte of S gains 0x10): S ≥ L.
            token(r#"{"alg":"EdDSA","kid":"ed"}"#, &|s| s[63] += 0x10),
            Err(Error::BadSignature),
        ),
        (
            token(r#"{"alg":"EdDSA","kid":"zero"}"#, &|_| {}),
            Err(Error::InvalidKey),
        ),
    ];
    let mut buffers = Box::new(Buffers::<2048>::new());
    for (token, expected) in &cases {
        let (outcome, n) = allocations(|| verifier.verify(token, NOW, &mut buffers).map(|_| ()));
        assert_eq!(&outcome, expected, "{token}");
        assert_eq!(n, 0, "verify allocated for {token}");
        let (outcome, n) = allocations(|| verifier.verify_jws(token, &mut buffers).map(|_| ()));
        assert_eq!(&outcome, expected, "{token}");
        assert_eq!(n, 0, "verify_jws allocated for {token}");
    }
}

/// An external key (the hardware's check stubbed by a constant answer): the hook path, the
/// digest it is handed and the rejections before it allocate nothing.
#[test]
fn external_keys_never_allocate() {
    struct Answer(bool);
    impl tokengate::ExternalKey for Answer {
        fn verify(&self, check: &tokengate::SignatureCheck<'_>) -> bool {
            self.0 && !check.signature().is_empty()
        }
    }
    static YES: Answer = Answer(true);
    static NO: Answer = Answer(false);
    let claims = r#"{"iss":"https://issuer.tokengate.test","aud":"door-17","exp":4102444800}"#;
    let mut buffers = Box::new(Buffers::<2048>::new());
    for (signer, answer, expected) in [
        (Signer::Es256, &YES, Ok(())),
        (Signer::Es384, &YES, Ok(())),
        (Signer::Rsa(2048, Alg::Ps512), &YES, Ok(())),
        (Signer::Hs256, &NO, Err(Error::BadSignature)),
    ] {
        let keys: &'static [Key<'static>] =
            Box::leak(vec![Key::external(answer, signer.alg())].into_boxed_slice());
        let verifier = Verifier::new(
            keys,
            Policy::new(Expected::Exactly(ISS), Expected::Exactly(AUD)),
        );
        let token = mint(signer, &format!(r#"{{"alg":"{}"}}"#, signer.alg()), claims);
        let (outcome, n) = allocations(|| verifier.verify(&token, NOW, &mut buffers).map(|_| ()));
        assert_eq!(outcome, expected, "{signer:?}");
        assert_eq!(n, 0, "verify allocated for {signer:?}");
    }
}
