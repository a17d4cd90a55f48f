//! The JOSE header (RFC 7515 §4): `alg`, `kid`, `typ`, and the members that make a token
//! unacceptable (`crit`, `b64`). Key-carrying members (`jwk`, `jku`, `x5u`, `x5c`, `x5t`) are
//! read as nothing at all: keys come only from what was provisioned.

use crate::alg::Alg;
use crate::arena::Arena;
use crate::error::{Error, Part};
use crate::json::{JsonStr, Object, Value, names_of};

/// The header as found in the token, strings still escaped.
#[derive(Clone, Copy, Debug)]
pub(crate) struct RawHeader<'a> {
    pub(crate) alg: Alg,
    pub(crate) kid: Option<JsonStr<'a>>,
    pub(crate) typ: Option<JsonStr<'a>>,
}

impl<'a> RawHeader<'a> {
    /// Validates a header object and reads it, in one pass ([`Object::read`]).
    ///
    /// Precedence, whatever the member order: `crit`, then `b64`, then `alg`, then the types of
    /// `kid` and `typ`.
    pub(crate) fn parse(json: &'a [u8]) -> Result<Self, Error> {
        let mut alg = None;
        let mut kid = None;
        let mut typ = None;
        let mut crit = false;
        let mut b64 = false;
        Object::read(json, Part::Header, |name, value| {
            match name
                .lookup(&MEMBERS, &MEMBER_NAMES)
                .map(|(_, member)| member)
            {
                Some(Member::Alg) => alg = Some(value),
                Some(Member::Kid) => kid = Some(value),
                Some(Member::Typ) => typ = Some(value),
                Some(Member::Crit) => crit = true,
                Some(Member::B64) => b64 = true,
                None => {}
            }
            Ok(())
        })?;
        if crit {
            return Err(Error::CritHeader);
        }
        if b64 {
            return Err(Error::UnencodedPayload);
        }
        let alg = match alg {
            None => {
                return Err(Error::MissingMember {
                    part: Part::Header,
                    name: "alg",
                });
            }
            Some(Value::Str(s)) => Alg::from_header(&s)?,
            Some(_) => {
                return Err(Error::InvalidMember {
                    part: Part::Header,
                    name: "alg",
                });
            }
        };
        Ok(Self {
            alg,
            kid: string(kid, "kid")?,
            typ: string(typ, "typ")?,
        })
    }

    pub(crate) fn decode<'s>(&self, arena: &mut Arena<'s>) -> Result<Header<'s>, Error>
    where
        'a: 's,
    {
        Ok(Header {
            alg: self.alg,
            kid: self.kid.map(|s| arena.str(s)).transpose()?,
            typ: self.typ.map(|s| arena.str(s)).transpose()?,
        })
    }
}

/// The header members the verifier reads, by name.
#[derive(Clone, Copy)]
enum Member {
    Alg,
    Kid,
    Typ,
    Crit,
    B64,
}

const MEMBERS: [(&str, Member); 5] = [
    ("alg", Member::Alg),
    ("kid", Member::Kid),
    ("typ", Member::Typ),
    ("crit", Member::Crit),
    ("b64", Member::B64),
];
const MEMBER_NAMES: [&str; 5] = names_of(&MEMBERS);

fn string<'a>(value: Option<Value<'a>>, name: &'static str) -> Result<Option<JsonStr<'a>>, Error> {
    match value {
        None => Ok(None),
        Some(Value::Str(s)) => Ok(Some(s)),
        Some(_) => Err(Error::InvalidMember {
            part: Part::Header,
            name,
        }),
    }
}

/// The header of a verified token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Header<'a> {
    alg: Alg,
    kid: Option<&'a str>,
    typ: Option<&'a str>,
}

impl<'a> Header<'a> {
    /// `alg`, which the key that verified the signature is bound to.
    pub fn alg(&self) -> Alg {
        self.alg
    }
    /// `kid`, if the token has one.
    pub fn kid(&self) -> Option<&'a str> {
        self.kid
    }
    /// `typ`, if the token has one.
    pub fn typ(&self) -> Option<&'a str> {
        self.typ
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::format;

    fn parse(text: &str) -> Result<RawHeader<'_>, Error> {
        RawHeader::parse(text.as_bytes())
    }

    #[test]
    fn algs_are_exact() {
        assert_eq!(parse(r#"{"alg":"ES256"}"#).unwrap().alg, Alg::Es256);
        assert_eq!(parse(r#"{"alg":"R\u0053256"}"#).unwrap().alg, Alg::Rs256);
        for none in ["none", "None", "NONE", "nOnE", "\\u006eone"] {
            let text = format!(r#"{{"alg":"{none}"}}"#);
            assert_eq!(parse(&text).unwrap_err(), Error::AlgNone, "{none}");
        }
        for alg in Alg::ALL {
            let text = format!(r#"{{"alg":"{}"}}"#, alg.name());
            assert_eq!(parse(&text).unwrap().alg, alg);
        }
        // RFC 9864's fully-specified name for EdDSA on Ed25519.
        assert_eq!(parse(r#"{"alg":"Ed25519"}"#).unwrap().alg, Alg::EdDsa);
        assert_eq!(parse(r#"{"alg":"EdDSA"}"#).unwrap().alg, Alg::EdDsa);
        for bad in [
            "es256",
            "ES256 ",
            "",
            "hs384",
            "Rs512",
            "PS256 ",
            "ps512",
            "ES512",
            "PS",
            "HS1024",
            "RS3840",
            "nonee",
            "non",
            "Ed448",
            "eddsa",
            "EDDSA",
            "ed25519",
            "Ed25519ph",
            "EdDSA ",
        ] {
            let text = format!(r#"{{"alg":"{bad}"}}"#);
            assert_eq!(parse(&text).unwrap_err(), Error::UnsupportedAlg, "{bad}");
        }
        assert_eq!(
            parse(r#"{"alg":256}"#).unwrap_err(),
            Error::InvalidMember {
                part: Part::Header,
                name: "alg"
            }
        );
        assert_eq!(
            parse(r#"{"typ":"JWT"}"#).unwrap_err(),
            Error::MissingMember {
                part: Part::Header,
                name: "alg"
            }
        );
    }

    #[test]
    fn crit_and_b64_reject() {
        assert_eq!(
            parse(r#"{"alg":"HS256","crit":[]}"#).unwrap_err(),
            Error::CritHeader
        );
        assert_eq!(
            parse(r#"{"crit":["exp"],"alg":"none"}"#).unwrap_err(),
            Error::CritHeader
        );
        assert_eq!(
            parse(r#"{"alg":"HS256","b64":true}"#).unwrap_err(),
            Error::UnencodedPayload
        );
    }
}
