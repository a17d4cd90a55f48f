//! The differential's reference: jsonwebtoken 11 (RustCrypto backend), told what it can be told
//! of the differential policy: the same three keys, one `Validation` per key bound to that key's
//! algorithm, `iss` and `aud` required and checked, `exp` required, `nbf` checked, leeway 0.
//! jsonwebtoken has no scope check: the one required scope is checked here on the claims
//! jsonwebtoken decoded (a space-delimited `scope` or `scp` string, or an array).
//!
//! jsonwebtoken reads the system clock and v11 offers no way to pass a time, so the differential
//! gives tokengate the system clock too and writes every time at least a minute away from it.

use std::sync::LazyLock;

use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde_json::{Map, Value};

use crate::setup::{AUD, ES256_SEC1, HS256_SECRET, ISS, RSA2048_N, SCOPE, b64};

struct Reference {
    key: DecodingKey,
    validation: Validation,
}

static REFERENCES: LazyLock<[Reference; 3]> = LazyLock::new(|| {
    let validation = |alg| {
        let mut v = Validation::new(alg);
        v.leeway = 0;
        v.validate_exp = true;
        v.validate_nbf = true;
        v.validate_aud = true;
        v.set_issuer(&[ISS]);
        v.set_audience(&[AUD]);
        v.set_required_spec_claims(&["exp", "iss", "aud"]);
        v
    };
    [
        Reference {
            key: DecodingKey::from_ec_components(&b64(&ES256_SEC1[1..33]), &b64(&ES256_SEC1[33..]))
                .unwrap(),
            validation: validation(Algorithm::ES256),
        },
        Reference {
            key: DecodingKey::from_rsa_raw_components(&RSA2048_N, &[1, 0, 1]),
            validation: validation(Algorithm::RS256),
        },
        Reference {
            key: DecodingKey::from_secret(&HS256_SECRET),
            validation: validation(Algorithm::HS256),
        },
    ]
});

/// The claims if the reference accepts `token` (some key and its validation accept it, and the
/// scope is granted), else why not.
pub fn verify(token: &str) -> Result<Map<String, Value>, String> {
    let mut why = Vec::new();
    for r in REFERENCES.iter() {
        match jsonwebtoken::decode::<Map<String, Value>>(token, &r.key, &r.validation) {
            Ok(data) if grants(&data.claims, SCOPE) => return Ok(data.claims),
            Ok(_) => why.push(format!("{:?}: scope not granted", r.validation.algorithms)),
            Err(e) => why.push(format!("{:?}: {e}", r.validation.algorithms)),
        }
    }
    Err(why.join("; "))
}

fn grants(claims: &Map<String, Value>, wanted: &str) -> bool {
    ["scope", "scp"].iter().any(|name| match claims.get(*name) {
        Some(Value::String(s)) => s.split(' ').any(|t| t == wanted),
        Some(Value::Array(a)) => a.iter().any(|e| e.as_str() == Some(wanted)),
        _ => false,
    })
}
