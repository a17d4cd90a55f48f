//! `tokengate verify`: the library's `Verifier`, the device's code, run on the host.

use serde_json::{Map, Value};
use tokengate::{Buffers, Expected, Key, Policy, Verifier};

use crate::keys::{self, Built, KeySet};
use crate::{Fail, Outcome, VerifyArgs, out, read_file, read_token, usage, warn};

/// Decoded header + payload capacity. Far above what devices use (the library default is
/// 1536 bytes), so a large but legitimate token verifies here; a larger one is rejected with
/// the library's `TooLarge` reason.
pub(crate) const CAPACITY: usize = 16 * 1024;

pub(crate) fn run(args: &VerifyArgs) -> Outcome {
    let set = load_keys(args)?;
    let built = set
        .keys
        .iter()
        .map(|k| Built::new(&k.material))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| Fail::Usage(format!("key rejected by the library: {e}")))?;
    let mut provisioned: Vec<Key<'_>> = Vec::with_capacity(built.len());
    for (material, key) in built.iter().zip(&set.keys) {
        let library_key = material
            .key()
            .map_err(|e| Fail::Usage(format!("key rejected by the library: {e}")))?;
        provisioned.push(match &key.kid {
            Some(kid) => library_key.with_kid(kid),
            None => library_key,
        });
    }

    for scope in &args.require_scope {
        if scope.is_empty() || scope.contains(' ') {
            return usage(format!(
                "--require-scope {scope:?}: a scope is one non-empty word; repeat the flag \
                 for several"
            ));
        }
    }
    let scopes: Vec<&str> = args.require_scope.iter().map(String::as_str).collect();
    let issuers: Vec<&str> = args.iss.iter().map(String::as_str).collect();
    let audiences: Vec<&str> = args.aud.iter().map(String::as_str).collect();
    let mut policy = Policy::new(expected(&issuers), expected(&audiences))
        .with_leeway(args.leeway)
        .with_scopes(&scopes);
    if let Some(max_age) = args.max_age {
        policy = policy.with_max_age(max_age);
    }
    if let Some(typ) = &args.typ {
        policy = policy.with_typ(typ);
    }

    let token = match read_token(&args.token) {
        Err(Fail::Rejected(reason)) => {
            out("{\"active\": false}\n");
            return Err(Fail::Rejected(reason));
        }
        other => other?,
    };
    let now = args.now.unwrap_or_else(tokengate::now);
    let mut buffers = Box::new(Buffers::<CAPACITY>::new());
    let verifier = Verifier::new(&provisioned, policy);
    match verifier.verify(&token, now, &mut buffers) {
        Ok(verified) => {
            let introspection = introspection(verified.claims_json())?;
            out(&format!("{introspection}\n"));
            Ok(())
        }
        Err(e) => {
            out("{\"active\": false}\n");
            Err(Fail::Rejected(e.to_string()))
        }
    }
}

/// `--iss` / `--aud` values as the policy takes them: none given means not checked.
fn expected<'p>(values: &'p [&'p str]) -> Expected<'p> {
    match values {
        [] => Expected::Any,
        [one] => Expected::Exactly(one),
        many => Expected::AnyOf(many),
    }
}

/// Reads every key flag; unusable files are usage errors, unusable set entries warnings.
fn load_keys(args: &VerifyArgs) -> Outcome<KeySet> {
    let mut set = KeySet::default();
    for path in &args.jwks {
        let bytes = read_file(path, "JWK Set")?;
        let origin = path.display().to_string();
        keys::load_jwks(&bytes, &origin, &mut set)
            .map_err(|e| Fail::Usage(format!("JWK Set {origin}: {e}")))?;
    }
    for path in &args.key {
        let bytes = read_file(path, "key file")?;
        let origin = path.display().to_string();
        keys::load_key_file(&bytes, &origin, &mut set)
            .map_err(|e| Fail::Usage(format!("key file {origin}: {e}")))?;
    }
    for (paths, alg) in [
        (&args.hs256_secret_file, tokengate::Alg::Hs256),
        (&args.hs384_secret_file, tokengate::Alg::Hs384),
        (&args.hs512_secret_file, tokengate::Alg::Hs512),
    ] {
        for path in paths {
            let bytes = read_file(path, "secret file")?;
            let origin = path.display().to_string();
            keys::load_secret(&bytes, alg, &origin, &mut set)
                .map_err(|e| Fail::Usage(format!("secret file {origin}: {e}")))?;
        }
    }
    for skipped in &set.skipped {
        warn(&format!("skipped {skipped}"));
    }
    for note in &set.notes {
        warn(note);
    }
    if set.keys.is_empty() {
        return usage(if args.jwks.is_empty() && args.key.is_empty() {
            "no key: pass --jwks FILE, --key FILE or --hs256-secret-file FILE".to_owned()
        } else {
            "no usable key in the given key files".to_owned()
        });
    }
    Ok(set)
}

/// The RFC 7662-style answer: `"active": true`, then every verified claim as signed.
fn introspection(claims_json: &str) -> Outcome<String> {
    let claims: Map<String, Value> = serde_json::from_str(claims_json).map_err(|e| {
        Fail::Rejected(format!(
            "the verified claims cannot be printed as JSON ({e})"
        ))
    })?;
    let mut answer = Map::with_capacity(claims.len().saturating_add(1));
    answer.insert("active".into(), Value::Bool(true));
    for (name, value) in claims {
        if name == "active" {
            warn("the token has its own `active` claim; it is left out of the output");
            continue;
        }
        answer.insert(name, value);
    }
    serde_json::to_string_pretty(&Value::Object(answer))
        .map_err(|e| Fail::Rejected(format!("cannot print the claims ({e})")))
}
