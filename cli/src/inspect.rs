//! `tokengate inspect`: decodes a token for a human, verifying nothing.

use base64ct::{Base64UrlUnpadded, Encoding};
use serde_json::{Map, Value};

use crate::{Fail, InspectArgs, Outcome, note, out, read_token};

/// Claims that hold NumericDates, shown as UTC dates too.
const DATE_CLAIMS: [&str; 4] = ["iat", "nbf", "exp", "auth_time"];

pub(crate) fn run(args: &InspectArgs) -> Outcome {
    let token = read_token(&args.token).map_err(|e| match e {
        Fail::Rejected(reason) => Fail::Undecodable(reason),
        other => other,
    })?;
    let decoded = decode(&token).map_err(Fail::Undecodable)?;
    note("UNVERIFIED: decoded only; the signature, issuer, audience and times were NOT checked");
    let text = serde_json::to_string_pretty(&decoded)
        .map_err(|e| Fail::Undecodable(format!("cannot print the token ({e})")))?;
    out(&format!("{text}\n"));
    Ok(())
}

/// The decoded token as one JSON object, marked unverified.
fn decode(token: &[u8]) -> Result<Value, String> {
    let segments: Vec<&[u8]> = token.split(|&b| b == b'.').collect();
    let (header, payload, signature) = match segments.as_slice() {
        [header, payload, signature] => (*header, *payload, *signature),
        [_, _, _, _, _] => {
            return Err(
                "5 segments: an encrypted JWE, not a signed JWT (tokengate handles JWS only)"
                    .into(),
            );
        }
        other => {
            return Err(format!(
                "not a compact JWT: {} segment{} instead of 3",
                other.len(),
                if other.len() == 1 { "" } else { "s" }
            ));
        }
    };
    let header = json_segment(header, "header")?;
    let claims = json_segment(payload, "payload")?;
    let signature = Base64UrlUnpadded::decode_vec(text(signature, "signature")?)
        .map_err(|_| "signature segment is not unpadded base64url".to_owned())?;

    let mut decoded = Map::new();
    decoded.insert("verified".into(), Value::Bool(false));
    decoded.insert(
        "warning".into(),
        "UNVERIFIED: decoded only; the signature, issuer, audience and times were NOT checked"
            .into(),
    );
    decoded.insert("header".into(), header);
    let dates = dates(&claims);
    decoded.insert("claims".into(), claims);
    if !dates.is_empty() {
        decoded.insert("dates_utc".into(), Value::Object(dates));
    }
    decoded.insert(
        "signature_bytes".into(),
        Value::from(u64::try_from(signature.len()).unwrap_or(u64::MAX)),
    );
    Ok(Value::Object(decoded))
}

fn text<'t>(segment: &'t [u8], name: &str) -> Result<&'t str, String> {
    std::str::from_utf8(segment).map_err(|_| format!("{name} segment is not unpadded base64url"))
}

/// A base64url segment holding a JSON object.
fn json_segment(segment: &[u8], name: &str) -> Result<Value, String> {
    let bytes = Base64UrlUnpadded::decode_vec(text(segment, name)?)
        .map_err(|_| format!("{name} segment is not unpadded base64url"))?;
    let value: Value = serde_json::from_slice(&bytes)
        .map_err(|e| format!("{name} is not JSON ({})", crate::one_line(&e.to_string())))?;
    if !value.is_object() {
        return Err(format!("{name} is JSON but not an object"));
    }
    Ok(value)
}

/// `iat`, `nbf`, `exp`, `auth_time` as UTC dates (RFC 3339).
fn dates(claims: &Value) -> Map<String, Value> {
    let mut dates = Map::new();
    for name in DATE_CLAIMS {
        if let Some(value) = claims.get(name) {
            let shown = match value.as_number().and_then(utc) {
                Some(date) => date,
                None => "not a date within years 0-9999".to_owned(),
            };
            dates.insert(name.into(), Value::String(shown));
        }
    }
    dates
}

/// A NumericDate as an RFC 3339 UTC date, `None` out of chrono's range.
pub(crate) fn utc(number: &serde_json::Number) -> Option<String> {
    let (seconds, nanos) = if let Some(s) = number.as_i64() {
        (s, 0)
    } else {
        let f = number.as_f64()?;
        // Years 0..=9999 are within ±2.6e11 seconds; `as` on a bounded finite float is exact
        // enough for whole seconds.
        if !f.is_finite() || f.abs() > 3e11 {
            return None;
        }
        let floor = f.floor();
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let nanos = ((f - floor) * 1e9).round().clamp(0.0, 999_999_999.0) as u32;
        #[allow(clippy::cast_possible_truncation)]
        (floor as i64, nanos)
    };
    let date = chrono::DateTime::from_timestamp(seconds, nanos)?;
    if !(0..=9999).contains(&chrono::Datelike::year(&date)) {
        return None;
    }
    Some(if nanos == 0 {
        date.format("%Y-%m-%dT%H:%M:%SZ").to_string()
    } else {
        date.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> Option<String> {
        let number: serde_json::Number = serde_json::from_str(text).unwrap();
        utc(&number)
    }

    #[test]
    fn dates_as_utc() {
        assert_eq!(date("0").as_deref(), Some("1970-01-01T00:00:00Z"));
        assert_eq!(date("1571504193").as_deref(), Some("2019-10-19T16:56:33Z"));
        assert_eq!(date("4102444800").as_deref(), Some("2100-01-01T00:00:00Z"));
        assert_eq!(
            date("4102444800.5").as_deref(),
            Some("2100-01-01T00:00:00.500Z")
        );
        assert_eq!(date("1e400"), None);
        assert_eq!(date("18446744073709551615"), None);
        assert_eq!(date("-1").as_deref(), Some("1969-12-31T23:59:59Z"));
        assert_eq!(date("253402300800"), None);
    }

    #[test]
    fn decode_errors() {
        assert!(decode(b"").unwrap_err().contains("1 segment "));
        assert!(decode(b"a.b.c.d.e").unwrap_err().contains("JWE"));
        assert!(decode(b"a.b.c").unwrap_err().contains("header"));
        assert!(decode(b"e30.e30.").is_ok());
        assert!(decode(b"e30.W10.").unwrap_err().contains("not an object"));
        assert!(decode(b"\xff\xfe.e30.").unwrap_err().contains("header"));
    }
}
