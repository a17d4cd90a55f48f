//! Regression tests from the fuzz targets in fuzz/ (docs/fuzzing.md): each minimized input that
//! made a target fail, with the exact outcome tokengate must give. Tokens are minted byte-exact
//! with the sample keys, so each outcome is for the reason named, not for a bad signature.
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

use common::{AUD, ISS, NOW, Signer, mint};
use tokengate::{Buffers, Error, Expected, NumericDate, Policy, Verifier};

fn verifier() -> Verifier<'static, 'static> {
    Verifier::new(
        common::samples().keys(),
        Policy::new(Expected::Exactly(ISS), Expected::Exactly(AUD)).with_scopes(&["door:open"]),
    )
}

fn claims_with(extra: &str) -> String {
    format!(r#"{{"iss":"{ISS}","aud":"{AUD}","exp":4102444800,"scope":"door:open"{extra}}}"#)
}

/// differential, crash-e8b4f689 (minimized): a header member tokengate never reads, with a value
/// jsonwebtoken's typed header cannot hold (`x5c` holding a boolean, an object and `1e400`).
/// jsonwebtoken refuses the token; tokengate ignores `x5c`, `jwk`, `jku`, `x5u`... by design
/// (README: keys come only from what was provisioned). Pinned as accepted; the differential
/// classifies it as `IgnoredHeaderMember` (docs/fuzzing.md, "Reference stricter").
#[test]
fn ignored_header_members_may_hold_any_json() {
    let v = verifier();
    for header in [
        r#"{"alg":"ES256","kid":"es256-test","x5c":["",true,{},1e400]}"#,
        r#"{"alg":"ES256","jwk":5}"#,
        r#"{"alg":"ES256","cty":null,"zip":[],"jku":{}}"#,
    ] {
        let token = mint(Signer::Es256, header, &claims_with(""));
        let result = v
            .verify(&token, NOW, &mut Buffers::<2048>::new())
            .map(|_| ());
        assert_eq!(result, Ok(()), "{header}");
    }
}

/// differential: a number beyond a double's range in a claim tokengate does not read. serde_json
/// (and so jsonwebtoken) refuses `1e400`; RFC 8259's grammar allows it and tokengate only
/// converts the numbers it reads. Pinned as accepted (`NumberBeyondDouble`).
#[test]
fn unread_numbers_beyond_a_double_are_accepted() {
    let token = mint(
        Signer::Hs256,
        r#"{"alg":"HS256"}"#,
        &claims_with(r#","level":1e400,"limits":[-1E+999]"#),
    );
    let result = verifier()
        .verify(&token, NOW, &mut Buffers::<2048>::new())
        .map(|_| ());
    assert_eq!(result, Ok(()));
}

/// differential: an `exp` below 2^64 written as a fraction, which a double rounds to 2^64.
/// jsonwebtoken refuses its format; tokengate reads the decimal exactly and the token never
/// expires (`NumericDateRoundsTo2To64`). `2^64` itself is refused by both.
#[test]
fn numeric_dates_just_below_two_to_the_64_are_exact() {
    let v = verifier();
    let with_exp = |exp: &str| {
        let claims = format!(r#"{{"iss":"{ISS}","aud":"{AUD}","exp":{exp},"scope":"door:open"}}"#);
        let token = mint(Signer::Hs256, r#"{"alg":"HS256"}"#, &claims);
        let mut buffers = Buffers::<2048>::new();
        v.verify(&token, NOW, &mut buffers)
            .map(|t| t.claims().exp())
    };
    let max = NumericDate::from_seconds(u64::MAX);
    assert_eq!(with_exp("18446744073709551615"), Ok(Some(max)));
    let frac = with_exp("18446744073709551615.5").unwrap().unwrap();
    assert_eq!((frac.seconds(), frac.is_fractional()), (u64::MAX, true));
    let exp = with_exp("1.8446744073709551e19").unwrap().unwrap();
    assert_eq!(
        (exp.seconds(), exp.is_fractional()),
        (18_446_744_073_709_551_000, false)
    );
    let invalid = Err(Error::InvalidMember {
        part: tokengate::Part::Claims,
        name: "exp",
    });
    assert_eq!(with_exp("18446744073709551616"), invalid);
    assert_eq!(with_exp("1.8446744073709551616e19"), invalid);
}
