//! The offline gate (issue 8): issuer-bound keys, replay protection, time without an RTC, and
//! signed key rotation. Each test asserts the exact error.
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
use tokengate::jwk::Reason;
use tokengate::{
    Alg, AnchoredClock, Buffers, Error, Expected, KEY_SET_TYP, Key, KeyRing, OfflineGate, Part,
    Policy, ReplayGuard, ReplayId, Verifier,
};

const A: &str = "https://issuer-a.example";
const B: &str = "https://issuer-b.example";
const T: u64 = 1_767_229_200;

fn claims(iss: &str, extra: &str) -> String {
    format!(
        r#"{{"iss":"{iss}","aud":"door-17","exp":{},"iat":{}{extra}}}"#,
        T + 600,
        T - 60
    )
}

fn two_issuers(bind: bool) -> Verifier<'static, 'static> {
    let s = common::samples();
    let es = Key::es256(s.es256());
    let hs = Key::hs256(s.hs256());
    let keys = if bind {
        vec![es.with_issuer(A), hs.with_issuer(B)]
    } else {
        vec![es, hs]
    };
    static ISSUERS: [&str; 2] = [A, B];
    Verifier::new(
        Box::leak(keys.into_boxed_slice()),
        Policy::new(Expected::AnyOf(&ISSUERS), Expected::Exactly("door-17")),
    )
}

fn at(v: &Verifier<'_, '_>, token: &str, now: u64) -> Result<(), Error> {
    v.verify(token, now, &mut Buffers::<2048>::new())
        .map(|_| ())
}

#[test]
fn cross_issuer_key_use_rejected() {
    let bound = two_issuers(true);
    let a_by_a = mint(Signer::Es256, r#"{"alg":"ES256"}"#, &claims(A, ""));
    let b_by_b = mint(Signer::Hs256, r#"{"alg":"HS256"}"#, &claims(B, ""));
    let b_by_a = mint(Signer::Es256, r#"{"alg":"ES256"}"#, &claims(B, ""));
    let a_by_b = mint(Signer::Hs256, r#"{"alg":"HS256"}"#, &claims(A, ""));
    assert_eq!(at(&bound, &a_by_a, T), Ok(()));
    assert_eq!(at(&bound, &b_by_b, T), Ok(()));
    assert_eq!(at(&bound, &b_by_a, T), Err(Error::KeyIssuerMismatch));
    assert_eq!(at(&bound, &a_by_b, T), Err(Error::KeyIssuerMismatch));
    // Escaped spellings of the right issuer are the same issuer.
    let escaped = mint(
        Signer::Es256,
        r#"{"alg":"ES256"}"#,
        &claims(r"https:\/\/issuer-a.example", ""),
    );
    assert_eq!(at(&bound, &escaped, T), Ok(()));
    // A bound key never vouches for a token that names no issuer, even under `Expected::Any`.
    let no_iss = mint(
        Signer::Es256,
        r#"{"alg":"ES256"}"#,
        &format!(r#"{{"aud":"door-17","exp":{}}}"#, T + 600),
    );
    let any = Verifier::new(bound.keys(), Policy::new(Expected::Any, Expected::Any));
    assert_eq!(at(&any, &no_iss, T), Err(Error::KeyIssuerMismatch));
    // Without bindings, the policy alone accepts either issuer on either key: the hole that
    // binding closes.
    assert_eq!(at(&two_issuers(false), &b_by_a, T), Ok(()));
}

fn replay_verifier(id: ReplayId) -> Verifier<'static, 'static> {
    Verifier::new(
        common::samples().keys(),
        Policy::new(Expected::AnyOf(&[A, B]), Expected::Exactly("door-17"))
            .with_leeway(10)
            .with_replay_id(id),
    )
}

fn once<const R: usize>(
    v: &Verifier<'_, '_>,
    token: &str,
    now: u64,
    guard: &mut ReplayGuard<R>,
) -> Result<(), Error> {
    v.verify_once(token, now, &mut Buffers::<2048>::new(), guard)
        .map(|_| ())
}

#[test]
fn replayed_jti_rejected() {
    let v = replay_verifier(ReplayId::Jti);
    let mut guard = ReplayGuard::<4>::new();
    let token = mint(
        Signer::Es256,
        r#"{"alg":"ES256"}"#,
        &claims(A, r#","jti":"cmd-1""#),
    );
    assert_eq!(once(&v, &token, T, &mut guard), Ok(()));
    assert_eq!(once(&v, &token, T + 1, &mut guard), Err(Error::Replayed));
    // Another token with the same jti and issuer (a re-signed copy) is the same token.
    let copy = mint(
        Signer::Hs256,
        r#"{"alg":"HS256"}"#,
        &claims(A, r#","jti":"cmd-1""#),
    );
    assert_eq!(once(&v, &copy, T + 2, &mut guard), Err(Error::Replayed));
    let escaped = mint(
        Signer::Hs256,
        r#"{"alg":"HS256"}"#,
        &claims(A, r#","jti":"cmd\u002d1""#),
    );
    assert_eq!(once(&v, &escaped, T + 2, &mut guard), Err(Error::Replayed));
    // The same jti from another issuer is another token.
    let other = mint(
        Signer::Hs256,
        r#"{"alg":"HS256"}"#,
        &claims(B, r#","jti":"cmd-1""#),
    );
    assert_eq!(once(&v, &other, T + 3, &mut guard), Ok(()));
    assert_eq!(guard.live(T + 3), 2);
    // A rejected token leaves no trace.
    let expired = mint(
        Signer::Es256,
        r#"{"alg":"ES256"}"#,
        &format!(r#"{{"iss":"{A}","aud":"door-17","exp":1,"jti":"cmd-2"}}"#),
    );
    assert_eq!(
        once(&v, &expired, T, &mut guard),
        Err(Error::Expired { now: T, exp: 1 })
    );
    assert_eq!(guard.live(T), 2);
    // Plain `verify` does not consult the guard.
    assert_eq!(at(&v, &token, T + 4), Ok(()));
}

#[test]
fn replay_needs_jti_unless_signing_input_allowed() {
    let no_jti = mint(Signer::Es256, r#"{"alg":"ES256"}"#, &claims(A, ""));
    let mut guard = ReplayGuard::<4>::new();
    assert_eq!(
        once(&replay_verifier(ReplayId::Jti), &no_jti, T, &mut guard),
        Err(Error::MissingMember {
            part: Part::Claims,
            name: "jti"
        })
    );
    let v = replay_verifier(ReplayId::JtiOrSigningInput);
    assert_eq!(once(&v, &no_jti, T, &mut guard), Ok(()));
    assert_eq!(once(&v, &no_jti, T, &mut guard), Err(Error::Replayed));
    // A different signature over the same header and payload is the same token: ECDSA
    // signatures are malleable, so the signature is not part of the id.
    let resigned = mint(Signer::Es256, r#"{"alg":"ES256"}"#, &claims(A, ""));
    assert_eq!(once(&v, &resigned, T, &mut guard), Err(Error::Replayed));
    let no_exp = mint(
        Signer::Es256,
        r#"{"alg":"ES256"}"#,
        &format!(r#"{{"iss":"{A}","aud":"door-17","jti":"x"}}"#),
    );
    let lax = Verifier::new(v.keys(), tokengate::danger::allow_missing_exp(*v.policy()));
    assert_eq!(
        once(&lax, &no_exp, T, &mut guard),
        Err(Error::MissingMember {
            part: Part::Claims,
            name: "exp"
        })
    );
}

fn with_exp(jti: &str, exp: u64) -> String {
    mint(
        Signer::Hs256,
        r#"{"alg":"HS256"}"#,
        &format!(r#"{{"iss":"{A}","aud":"door-17","exp":{exp},"jti":"{jti}"}}"#),
    )
}

#[test]
fn replay_entries_evicted_after_expiry_only() {
    let v = replay_verifier(ReplayId::Jti);
    let mut guard = ReplayGuard::<2>::new();
    assert_eq!(once(&v, &with_exp("a", T + 100), T, &mut guard), Ok(()));
    assert_eq!(once(&v, &with_exp("b", T + 200), T, &mut guard), Ok(()));
    // Full of live entries: a new token is refused, the old ones are not forgotten.
    assert_eq!(
        once(&v, &with_exp("c", T + 300), T + 50, &mut guard),
        Err(Error::ReplayGuardFull { capacity: 2 })
    );
    assert_eq!(
        once(&v, &with_exp("a", T + 100), T + 50, &mut guard),
        Err(Error::Replayed)
    );
    // "a" lives until exp + leeway (110 s): only then is its slot free.
    assert_eq!(
        once(&v, &with_exp("c", T + 300), T + 109, &mut guard),
        Err(Error::ReplayGuardFull { capacity: 2 })
    );
    assert_eq!(
        once(&v, &with_exp("c", T + 300), T + 110, &mut guard),
        Ok(())
    );
    assert_eq!(guard.live(T + 110), 2);
    assert_eq!(
        once(&v, &with_exp("b", T + 200), T + 150, &mut guard),
        Err(Error::Replayed)
    );
}

#[test]
fn replay_guard_survives_a_reset_when_saved() {
    let v = replay_verifier(ReplayId::Jti);
    let mut guard = ReplayGuard::<8>::new();
    for jti in ["a", "b", "c"] {
        assert_eq!(once(&v, &with_exp(jti, T + 100), T, &mut guard), Ok(()));
    }
    let mut flash = [0u8; ReplayGuard::<8>::SAVED_LEN];
    let len = guard.save(&mut flash).unwrap();
    assert_eq!(len, 16 + 3 * 24 + 8);
    let mut restored = ReplayGuard::<8>::load(&flash[..len]).unwrap();
    assert_eq!(restored, guard);
    assert_eq!(
        once(&v, &with_exp("b", T + 100), T + 1, &mut restored),
        Err(Error::Replayed)
    );
    // A smaller guard cannot take the saved state; corrupt bytes are refused.
    assert_eq!(
        ReplayGuard::<2>::load(&flash[..len]),
        Err(Error::CorruptState)
    );
    let mut corrupt = flash;
    corrupt[20] ^= 1;
    assert_eq!(
        ReplayGuard::<8>::load(&corrupt[..len]),
        Err(Error::CorruptState)
    );
    assert_eq!(
        ReplayGuard::<8>::load(&flash[..len - 1]),
        Err(Error::CorruptState)
    );
    assert_eq!(ReplayGuard::<8>::load(&[]), Err(Error::CorruptState));
    assert!(matches!(
        guard.save(&mut [0u8; 10]),
        Err(Error::TooLarge { .. })
    ));
    // Lost state: refuse whatever was issued before the loss.
    let mut fresh = ReplayGuard::<8>::after_state_loss(T);
    let before = mint(
        Signer::Hs256,
        r#"{"alg":"HS256"}"#,
        &claims(A, r#","jti":"old""#),
    );
    assert_eq!(once(&v, &before, T + 5, &mut fresh), Err(Error::Replayed));
    let after = mint(
        Signer::Hs256,
        r#"{"alg":"HS256"}"#,
        &format!(
            r#"{{"iss":"{A}","aud":"door-17","exp":{},"iat":{T},"jti":"new"}}"#,
            T + 100
        ),
    );
    assert_eq!(once(&v, &after, T + 5, &mut fresh), Ok(()));
    let saved_len = fresh.save(&mut flash).unwrap();
    assert_eq!(ReplayGuard::<8>::load(&flash[..saved_len]).unwrap(), fresh);
}

fn gate(policy: Policy<'static>, start: u64) -> (Verifier<'static, 'static>, OfflineGate<8>) {
    let clock = AnchoredClock::new(start, 0, 1000).unwrap();
    (
        Verifier::new(common::samples().keys(), policy),
        OfflineGate::new(clock, ReplayGuard::new()),
    )
}

fn token_issued(iat: u64, jti: &str, aud: &str) -> String {
    mint(
        Signer::Es256,
        r#"{"alg":"ES256"}"#,
        &format!(
            r#"{{"iss":"{A}","aud":"{aud}","exp":{},"iat":{iat},"jti":"{jti}"}}"#,
            iat + 600
        ),
    )
}

#[test]
fn clock_moves_only_on_verified_input_and_never_back() {
    let policy = Policy::new(Expected::Exactly(A), Expected::Exactly("door-17")).with_iat_as_time();
    // Built in 2025: the device knows no earlier time.
    let built = T - 86_400 * 365;
    let (v, mut g) = gate(policy, built);
    let mut buf = Buffers::<2048>::new();
    assert_eq!(g.now(0), built);
    assert_eq!(g.now(5_500), built + 5);
    // A forged token with a recent iat (bad signature) is refused and moves nothing.
    let real = token_issued(T, "j1", "door-17");
    let forged = format!("{}AAAA", &real[..real.len() - 4]);
    assert_eq!(
        g.admit(&v, &forged, 6_000, &mut buf).map(|_| ()),
        Err(Error::BadSignature)
    );
    assert_eq!(g.now(6_000), built + 6);
    // A verified token that the policy rejects (wrong audience) moves nothing either.
    let other_door = token_issued(T, "j0", "door-18");
    assert_eq!(
        g.admit(&v, &other_door, 6_000, &mut buf).map(|_| ()),
        Err(Error::WrongAudience)
    );
    assert_eq!(g.now(6_000), built + 6);
    // An accepted token anchors the clock at its iat.
    assert_eq!(g.admit(&v, &real, 7_000, &mut buf).map(|_| ()), Ok(()));
    assert_eq!(g.now(7_000), T);
    assert_eq!(g.now(17_000), T + 10);
    // An older token verifies against the later time, and cannot move the clock back.
    let older = token_issued(T - 300, "j2", "door-17");
    assert_eq!(g.admit(&v, &older, 17_000, &mut buf).map(|_| ()), Ok(()));
    assert_eq!(g.now(17_000), T + 10);
    // Now that the clock is anchored, a token that expired before that time is refused.
    let stale = token_issued(T - 700, "j3", "door-17");
    assert_eq!(
        g.admit(&v, &stale, 17_000, &mut buf).map(|_| ()),
        Err(Error::Expired {
            now: T + 10,
            exp: T - 100
        })
    );
    // A tick counter that restarts does not move the clock back.
    assert_eq!(g.now(0), T);
    // Trusted sources move it forward only.
    assert!(!g.clock_mut().advance_to_trusted(T - 1, 17_000));
    assert!(g.clock_mut().advance_to_trusted(T + 100, 17_000));
    assert_eq!(g.now(17_000), T + 100);
    // And the replay guard works through the gate.
    assert_eq!(
        g.admit(&v, &real, 18_000, &mut buf).map(|_| ()),
        Err(Error::Replayed)
    );
}

#[test]
fn clock_ignores_iat_unless_the_policy_allows() {
    let policy = Policy::new(Expected::Exactly(A), Expected::Exactly("door-17"));
    let (v, mut g) = gate(policy, T - 1_000);
    let mut buf = Buffers::<2048>::new();
    // Without `with_iat_as_time`, a token issued after the clock's time is "in the future".
    let token = token_issued(T, "j1", "door-17");
    assert_eq!(
        g.admit(&v, &token, 0, &mut buf).map(|_| ()),
        Err(Error::IssuedInFuture {
            now: T - 1_000,
            iat: T
        })
    );
    assert_eq!(g.now(0), T - 1_000);
    assert_eq!(AnchoredClock::new(T, 0, 0), Err(Error::ZeroTickRate));
}

// ---- signed key rotation -------------------------------------------------------------------

fn jwks_keys() -> Vec<serde_json::Value> {
    let jwks = common::read_json(&common::data("keys/jwks.json"));
    jwks["keys"].as_array().unwrap().clone()
}

fn key_set(ver: u64, keys: &[serde_json::Value]) -> String {
    serde_json::json!({ "ver": ver, "keys": keys }).to_string()
}

fn rotation_token(signer: Signer, header_typ: Option<&str>, payload: &str) -> String {
    let alg = signer.alg().name();
    let header = match header_typ {
        Some(typ) => format!(r#"{{"alg":"{alg}","kid":"rotation","typ":"{typ}"}}"#),
        None => format!(r#"{{"alg":"{alg}","kid":"rotation"}}"#),
    };
    mint(signer, &header, payload)
}

/// The device's provisioned rotation key: the sample RSA-4096 key, used for nothing else.
fn rotation_keys() -> &'static [Key<'static>] {
    Box::leak(vec![Key::rs256(common::samples().rsa4096()).with_kid("rotation")].into_boxed_slice())
}

#[test]
fn rotation_installs_a_signed_key_set() {
    let mut ring = KeyRing::<4>::new();
    let mut buf = Buffers::<4096>::new();
    let mut keys = jwks_keys();
    // Bind the ES256 key to issuer A (a tokengate extension member), add an HS256 key.
    keys[0]["iss"] = A.into();
    keys.truncate(2);
    keys.push(serde_json::json!({
        "kty": "oct", "kid": "hs-rotated", "alg": "HS256",
        "k": common::b64(common::samples().hs256_secret()),
    }));
    let token = rotation_token(Signer::Rs256(4096), Some(KEY_SET_TYP), &key_set(7, &keys));
    assert_eq!(ring.install(&token, rotation_keys(), 1, &mut buf), Ok(7));
    assert_eq!(ring.version(), Some(7));
    let installed = ring.keys();
    assert_eq!(installed.len(), 3);
    assert_eq!(installed[0].kid(), Some("es256-test"));
    assert_eq!(installed[0].issuer(), Some(A));
    assert_eq!(installed[1].rsa_bits(), Some(2048));
    // The rotated keys verify tokens, and carry their issuer binding.
    let v = Verifier::new(
        &installed,
        Policy::new(Expected::Any, Expected::Exactly("door-17")),
    );
    let es = mint(
        Signer::Es256,
        r#"{"alg":"ES256","kid":"es256-test"}"#,
        &claims(A, ""),
    );
    assert_eq!(at(&v, &es, T), Ok(()));
    let es_b = mint(
        Signer::Es256,
        r#"{"alg":"ES256","kid":"es256-test"}"#,
        &claims(B, ""),
    );
    assert_eq!(at(&v, &es_b, T), Err(Error::KeyIssuerMismatch));
    let rs = mint(
        Signer::Rs256(2048),
        r#"{"alg":"RS256","kid":"rs256-2048-test"}"#,
        &claims(B, ""),
    );
    assert_eq!(at(&v, &rs, T), Ok(()));
    let hs = mint(
        Signer::Hs256,
        r#"{"alg":"HS256","kid":"hs-rotated"}"#,
        &claims(B, ""),
    );
    assert_eq!(at(&v, &hs, T), Ok(()));
    // Restoring the stored token at boot: the same version is accepted as the minimum.
    let mut booted = KeyRing::<4>::new();
    assert_eq!(booted.install(&token, rotation_keys(), 7, &mut buf), Ok(7));
}

/// Rotated RSA keys keep the algorithm their JWK names (PS384, RS512; RS256 without `alg`), and
/// HMAC keys theirs (HS512): each verifies its own algorithm's tokens and no other's.
#[test]
fn rotation_keeps_each_keys_algorithm() {
    let mut ring = KeyRing::<5>::new();
    let mut buf = Buffers::<8192>::new();
    let n = |bits: u32| common::b64(&common::samples().rsa_modulus(bits));
    let keys = [
        serde_json::json!({"kty": "RSA", "kid": "ps", "alg": "PS384", "n": n(3072), "e": "AQAB"}),
        serde_json::json!({"kty": "RSA", "kid": "rs", "alg": "RS512", "n": n(2048), "e": "AQAB"}),
        serde_json::json!({"kty": "RSA", "kid": "plain", "n": n(2048), "e": "AQAB"}),
        serde_json::json!({"kty": "oct", "kid": "hs", "alg": "HS512",
            "k": common::b64(common::HS512_SECRET)}),
    ];
    let token = rotation_token(Signer::Rs256(4096), Some(KEY_SET_TYP), &key_set(3, &keys));
    assert_eq!(ring.install(&token, rotation_keys(), 1, &mut buf), Ok(3));
    let installed = ring.keys();
    let algs: Vec<_> = installed.iter().map(|k| (k.kid(), k.alg())).collect();
    assert_eq!(
        algs,
        [
            (Some("ps"), Alg::Ps384),
            (Some("rs"), Alg::Rs512),
            (Some("plain"), Alg::Rs256),
            (Some("hs"), Alg::Hs512),
        ]
    );
    let v = Verifier::new(
        &installed,
        Policy::new(Expected::Any, Expected::Exactly("door-17")),
    );
    for (signer, kid) in [
        (Signer::Rsa(3072, Alg::Ps384), "ps"),
        (Signer::Rsa(2048, Alg::Rs512), "rs"),
        (Signer::Rs256(2048), "plain"),
        (Signer::Hs512, "hs"),
    ] {
        let alg = signer.alg();
        let token = mint(
            signer,
            &format!(r#"{{"alg":"{alg}","kid":"{kid}"}}"#),
            &claims(A, ""),
        );
        assert_eq!(at(&v, &token, T), Ok(()), "{alg}");
    }
    // The PS384 modulus as RS256, the RS512 one as PS512: each key is bound to one algorithm.
    let rs256_on_ps = mint(
        Signer::Rs256(3072),
        r#"{"alg":"RS256","kid":"ps"}"#,
        &claims(A, ""),
    );
    assert_eq!(
        at(&v, &rs256_on_ps, T),
        Err(Error::AlgMismatch {
            token: Alg::Rs256,
            key: Alg::Ps384
        })
    );
    let ps512 = mint(
        Signer::Rsa(2048, Alg::Ps512),
        r#"{"alg":"PS512","kid":"rs"}"#,
        &claims(A, ""),
    );
    assert_eq!(
        at(&v, &ps512, T),
        Err(Error::AlgMismatch {
            token: Alg::Ps512,
            key: Alg::Rs512
        })
    );
    // The ring's Debug names each algorithm, never the secret.
    let debug = format!("{ring:?}");
    for name in ["Ps384", "Rs512", "Rs256", "Hs512"] {
        assert!(debug.contains(name), "{debug}");
    }
    assert!(!debug.contains("sixty-four"), "{debug}");
}

#[test]
fn rotation_rejects_stale_version() {
    let mut ring = KeyRing::<4>::new();
    let mut buf = Buffers::<4096>::new();
    let keys = jwks_keys();
    let v7 = rotation_token(
        Signer::Rs256(4096),
        Some(KEY_SET_TYP),
        &key_set(7, &keys[..1]),
    );
    let v6 = rotation_token(
        Signer::Rs256(4096),
        Some(KEY_SET_TYP),
        &key_set(6, &keys[1..2]),
    );
    assert_eq!(ring.install(&v7, rotation_keys(), 1, &mut buf), Ok(7));
    // 7 is now the newest version accepted: 6 is a rollback.
    assert_eq!(
        ring.install(&v6, rotation_keys(), 7, &mut buf),
        Err(Error::StaleKeySet {
            version: 6,
            minimum: 7
        })
    );
    // And stays one when the device has since accepted an 8.
    assert_eq!(
        ring.install(&v7, rotation_keys(), 8, &mut buf),
        Err(Error::StaleKeySet {
            version: 7,
            minimum: 8
        })
    );
    // Nothing changed.
    assert_eq!(ring.version(), Some(7));
    assert_eq!(ring.keys()[0].kid(), Some("es256-test"));
}

#[test]
fn rotation_rejects_wrong_signer() {
    let mut ring = KeyRing::<4>::new();
    let mut buf = Buffers::<4096>::new();
    let payload = key_set(9, &jwks_keys()[..1]);
    // Signed by a key that is provisioned for tokens, not for rotation.
    let by_token_key = rotation_token(Signer::Rs256(2048), Some(KEY_SET_TYP), &payload);
    assert_eq!(
        ring.install(&by_token_key, rotation_keys(), 1, &mut buf),
        Err(Error::SignatureLength {
            len: 256,
            expected: 512
        })
    );
    // The right signer's token with another payload spliced in.
    let genuine = rotation_token(Signer::Rs256(4096), Some(KEY_SET_TYP), &payload);
    let other = common::b64(key_set(10, &jwks_keys()).as_bytes());
    let parts: Vec<&str> = genuine.split('.').collect();
    let spliced = format!("{}.{other}.{}", parts[0], parts[2]);
    assert_eq!(
        ring.install(&spliced, rotation_keys(), 1, &mut buf),
        Err(Error::BadSignature)
    );
    let by_es = rotation_token(Signer::Es256, Some(KEY_SET_TYP), &payload);
    assert_eq!(
        ring.install(&by_es, rotation_keys(), 1, &mut buf),
        Err(Error::AlgMismatch {
            token: Alg::Es256,
            key: Alg::Rs256
        })
    );
    // Right signer, but not typed as a key set: another JWS of the rotation key cannot pass.
    let untyped = rotation_token(Signer::Rs256(4096), None, &payload);
    assert_eq!(
        ring.install(&untyped, rotation_keys(), 1, &mut buf),
        Err(Error::WrongType)
    );
    let access = rotation_token(Signer::Rs256(4096), Some("at+jwt"), &payload);
    assert_eq!(
        ring.install(&access, rotation_keys(), 1, &mut buf),
        Err(Error::WrongType)
    );
    assert_eq!(ring.version(), None);
    assert!(ring.keys().is_empty());
}

#[test]
fn rotation_rejects_malformed_jwks() {
    let mut buf = Buffers::<4096>::new();
    let good = &jwks_keys()[0];
    let mut enc = good.clone();
    enc["use"] = "enc".into();
    let mut ops = good.clone();
    ops["key_ops"] = serde_json::json!(["encrypt"]);
    let mut wrong_alg = good.clone();
    wrong_alg["alg"] = "RS256".into();
    let mut p384 = good.clone();
    p384["crv"] = "P-384".into();
    let mut p521 = good.clone();
    p521["crv"] = "P-521".into();
    let mut off_curve = good.clone();
    off_curve["y"] = common::b64(&[1u8; 32]).into();
    let mut short_x = good.clone();
    short_x["x"] = common::b64(&[1u8; 31]).into();
    let small_rsa = serde_json::json!({"kty":"RSA","n": common::b64(&[0xc5; 128]),"e":"AQAB"});
    let short_secret = serde_json::json!({"kty":"oct","alg":"HS256","k": common::b64(&[7; 31])});
    let unbound_secret = serde_json::json!({"kty":"oct","k": common::b64(&[7; 32])});
    let okp = serde_json::json!({"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"});
    // With `eddsa`, an Ed25519 key is accepted (see `rotated_ed25519_key`); an Ed448 one is not.
    let okp = if cfg!(feature = "eddsa") {
        let mut ed448 = okp;
        ed448["crv"] = "Ed448".into();
        ed448
    } else {
        okp
    };
    let okp_refusal = if cfg!(feature = "eddsa") {
        Reason::UnsupportedOkpCrv
    } else {
        Reason::UnsupportedKty
    };
    let mut iss_number = good.clone();
    iss_number["iss"] = 7.into();
    let jwk = |reason| Error::Jwk { reason };
    let invalid = |name| Error::InvalidMember {
        part: Part::Jwk,
        name,
    };
    // The payload is not a versioned JWK Set: the rotation's own error.
    let cases: Vec<(String, Error)> = vec![
        ("not json".into(), Error::MalformedKeySet),
        ("[]".into(), Error::MalformedKeySet),
        (r#"{"keys":[]}"#.into(), Error::MalformedKeySet),
        (r#"{"ver":1}"#.into(), Error::MalformedKeySet),
        (r#"{"ver":"1","keys":[]}"#.into(), Error::MalformedKeySet),
        (r#"{"ver":1.5,"keys":[]}"#.into(), Error::MalformedKeySet),
        (r#"{"ver":-1,"keys":[]}"#.into(), Error::MalformedKeySet),
        // A version is an integer in plain digits: not a NumericDate.
        (r#"{"ver":1.0,"keys":[]}"#.into(), Error::MalformedKeySet),
        (r#"{"ver":1e0,"keys":[]}"#.into(), Error::MalformedKeySet),
        (r#"{"ver":-0,"keys":[]}"#.into(), Error::MalformedKeySet),
        (
            r#"{"ver":18446744073709551616,"keys":[]}"#.into(),
            Error::MalformedKeySet,
        ),
        (
            r#"{"ver":1,"ver":2,"keys":[]}"#.into(),
            Error::MalformedKeySet,
        ),
        (r#"{"ver":1,"keys":{}}"#.into(), Error::MalformedKeySet),
        // A key of the set is refused: the JWK importer's error.
        (
            r#"{"ver":1,"keys":["a"]}"#.into(),
            Error::NotAnObject { part: Part::Jwk },
        ),
        (
            r#"{"ver":1,"keys":[{"kty":"EC","crv":"P-256","x":1,"y":2}]}"#.into(),
            invalid("x"),
        ),
        (key_set(1, &[enc]), jwk(Reason::UseNotSig)),
        (key_set(1, &[ops]), jwk(Reason::KeyOpsWithoutVerify)),
        (
            key_set(1, &[wrong_alg]),
            jwk(Reason::AlgNotForKty { key: Alg::Es256 }),
        ),
        // `good` says ES256: a P-384 key cannot be one.
        (
            key_set(1, &[p384]),
            jwk(Reason::AlgNotForKty { key: Alg::Es384 }),
        ),
        (key_set(1, &[p521]), jwk(Reason::UnsupportedCrv)),
        (key_set(1, &[off_curve]), Error::InvalidKey),
        (key_set(1, &[short_x]), invalid("x")),
        (key_set(1, &[small_rsa]), Error::RsaKeySize { bits: 1024 }),
        (
            key_set(1, &[short_secret]),
            Error::SecretTooShort { len: 31, min: 32 },
        ),
        (key_set(1, &[unbound_secret]), jwk(Reason::OctWithoutAlg)),
        (key_set(1, &[okp]), jwk(okp_refusal)),
        (key_set(1, &[iss_number]), invalid("iss")),
        (
            key_set(1, &[good.clone(), serde_json::json!({"kty":"EC"})]),
            Error::MissingMember {
                part: Part::Jwk,
                name: "crv",
            },
        ),
    ];
    for (payload, error) in cases {
        let mut ring = KeyRing::<4>::new();
        let token = rotation_token(Signer::Rs256(4096), Some(KEY_SET_TYP), &payload);
        assert_eq!(
            ring.install(&token, rotation_keys(), 1, &mut buf),
            Err(error),
            "{payload}"
        );
        assert_eq!(ring.version(), None);
    }
}

#[test]
fn rotation_rejects_jwks_larger_than_storage() {
    let mut buf = Buffers::<8192>::new();
    let keys = jwks_keys();
    assert_eq!(keys.len(), 4);
    let token = rotation_token(Signer::Rs256(4096), Some(KEY_SET_TYP), &key_set(3, &keys));
    let mut small = KeyRing::<3>::new();
    assert_eq!(
        small.install(&token, rotation_keys(), 1, &mut buf),
        Err(Error::KeySetTooLarge {
            keys: 4,
            capacity: 3
        })
    );
    assert_eq!(small.version(), None);
    let mut fits = KeyRing::<4>::new();
    assert_eq!(fits.install(&token, rotation_keys(), 1, &mut buf), Ok(3));
    assert_eq!(fits.keys().len(), 4);
    assert_eq!(fits.keys()[3].rsa_bits(), Some(4096));
    // A kid or a secret longer than a slot holds is also too large for the storage.
    let mut long_kid = keys[0].clone();
    long_kid["kid"] = "k".repeat(65).into();
    let long_secret = serde_json::json!({"kty":"oct","alg":"HS256","k": common::b64(&[7; 65])});
    let longer_secret = serde_json::json!({"kty":"oct","alg":"HS256","k": common::b64(&[7; 600])});
    for key in [long_kid, long_secret, longer_secret] {
        let token = rotation_token(Signer::Rs256(4096), Some(KEY_SET_TYP), &key_set(4, &[key]));
        assert_eq!(
            fits.install(&token, rotation_keys(), 4, &mut buf),
            Err(Error::KeySetTooLarge {
                keys: 1,
                capacity: 4
            })
        );
    }
    assert_eq!(fits.version(), Some(3));
}

/// A rotated key set may carry an Ed25519 key (`OKP`): it lands in the ring bound to EdDSA, with
/// its `kid` and issuer, and verifies an EdDSA token under either name.
#[cfg(feature = "eddsa")]
#[test]
fn rotated_ed25519_key() {
    let mut ring = KeyRing::<4>::new();
    let mut buf = Buffers::<4096>::new();
    let okp = serde_json::json!({"kty":"OKP","crv":"Ed25519","alg":"Ed25519","kid":"ed","iss":A,
        "x":common::ED25519_X});
    let token = rotation_token(Signer::Rs256(4096), Some(KEY_SET_TYP), &key_set(3, &[okp]));
    assert_eq!(ring.install(&token, rotation_keys(), 1, &mut buf), Ok(3));
    let keys = ring.keys();
    assert_eq!(keys.len(), 1);
    assert_eq!(keys[0].alg(), Alg::EdDsa);
    assert_eq!(keys[0].kid(), Some("ed"));
    assert_eq!(keys[0].issuer(), Some(A));
    assert!(format!("{ring:?}").contains("Ed25519"));
    let input = format!(
        "{}.{}",
        common::b64(br#"{"alg":"EdDSA","kid":"ed"}"#),
        common::b64(b"x")
    );
    let signature = common::ed25519_sign(input.as_bytes());
    assert_eq!(
        keys[0].verify_signature(input.as_bytes(), &signature),
        Ok(())
    );
}
