//! `tokengate keys import`: Rust source defining the provisioned key set, for `include!` in
//! firmware.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::keys::{self, KeySet, Material, PemKind, Provisioned};
use crate::{
    Fail, ImportArgs, ImportFormat, KeySources, Outcome, fetch, note, out, read_file, usage, warn,
};

/// Bytes per line in generated arrays.
const BYTES_PER_LINE: usize = 12;

pub(crate) fn run(import: &ImportArgs, order: &[(&str, usize)]) -> Outcome {
    let (set, sources) = load_sources(&import.sources, order)?;
    let mut kids: BTreeMap<&str, usize> = BTreeMap::new();
    for kid in set.keys.iter().filter_map(|k| k.kid.as_deref()) {
        *kids.entry(kid).or_default() += 1;
    }
    for (kid, count) in kids.into_iter().filter(|(_, n)| *n > 1) {
        warn(&format!(
            "{count} keys share kid {kid:?}: a token naming it is tried against each"
        ));
    }
    if import.format == ImportFormat::C {
        return crate::import_c::run(import, &set, &sources);
    }
    let source = generate(&set, &sources, import.es256_table)?;
    match &import.out {
        Some(path) => {
            std::fs::write(path, source)
                .map_err(|e| Fail::Usage(format!("cannot write {}: {e}", path.display())))?;
            note(&format!(
                "wrote {} key{} to {} ({} skipped)",
                set.keys.len(),
                if set.keys.len() == 1 { "" } else { "s" },
                path.display(),
                set.skipped.len()
            ));
        }
        None => out(&source),
    }
    Ok(())
}

/// Reads every key source (in `order`, the command-line order, when known), warns about what was
/// skipped, and returns the keys with one description line per source.
pub(crate) fn load_sources(
    args: &KeySources,
    order: &[(&str, usize)],
) -> Outcome<(KeySet, Vec<String>)> {
    let order = if order.is_empty() {
        default_order(args)
    } else {
        order.to_vec()
    };
    if order.is_empty() {
        return usage(
            "no key source: pass --jwks FILE, --pem FILE, --cert FILE, --url URL or \
             --hs256-secret-file FILE (--hs384-, --hs512-)",
        );
    }
    let mut set = KeySet::default();
    let mut sources = Vec::with_capacity(order.len());
    for (flag, index) in order {
        sources.push(read_source(args, flag, index, &mut set)?);
    }
    for skipped in &set.skipped {
        warn(&format!("skipped {skipped}"));
    }
    for remark in &set.notes {
        warn(remark);
    }
    if set.keys.is_empty() {
        return usage("no usable key in the given sources");
    }
    Ok((set, sources))
}

/// Source flags grouped by kind, when the command-line order is not known.
fn default_order(args: &KeySources) -> Vec<(&'static str, usize)> {
    let mut order = Vec::new();
    order.extend((0..args.jwks.len()).map(|i| ("jwks", i)));
    order.extend((0..args.pem.len()).map(|i| ("pem", i)));
    order.extend((0..args.cert.len()).map(|i| ("cert", i)));
    order.extend((0..args.url.len()).map(|i| ("url", i)));
    order.extend((0..args.hs256_secret_file.len()).map(|i| ("hs256_secret_file", i)));
    order.extend((0..args.hs384_secret_file.len()).map(|i| ("hs384_secret_file", i)));
    order.extend((0..args.hs512_secret_file.len()).map(|i| ("hs512_secret_file", i)));
    order
}

/// Reads one source into `set`; returns its line for the generated header.
fn read_source(args: &KeySources, flag: &str, index: usize, set: &mut KeySet) -> Outcome<String> {
    let missing = || Fail::Usage(format!("internal: no value {index} for --{flag}"));
    if flag == "url" {
        let url = args.url.get(index).ok_or_else(missing)?;
        let body = fetch::get(url).map_err(|e| Fail::Usage(format!("--url {url}: {e}")))?;
        keys::load_fetched(&body, url, set)
            .map_err(|e| Fail::Usage(format!("--url {url}: {e}")))?;
        return Ok(format!("--url {}", literal(url)));
    }
    let (path, what) = match flag {
        "jwks" => (args.jwks.get(index), "JWK Set"),
        "pem" => (args.pem.get(index), "PEM file"),
        "cert" => (args.cert.get(index), "certificate"),
        "hs384_secret_file" => (args.hs384_secret_file.get(index), "secret file"),
        "hs512_secret_file" => (args.hs512_secret_file.get(index), "secret file"),
        _ => (args.hs256_secret_file.get(index), "secret file"),
    };
    let path = path.ok_or_else(missing)?;
    let bytes = read_file(path, what)?;
    let origin = path.display().to_string();
    let loaded = match flag {
        "jwks" => keys::load_jwks(&bytes, &origin, set),
        "pem" => keys::load_pem(&bytes, PemKind::Any, &origin, set),
        "cert" => keys::load_pem(&bytes, PemKind::Certificate, &origin, set),
        "hs384_secret_file" => keys::load_secret(&bytes, tokengate::Alg::Hs384, &origin, set),
        "hs512_secret_file" => keys::load_secret(&bytes, tokengate::Alg::Hs512, &origin, set),
        _ => keys::load_secret(&bytes, tokengate::Alg::Hs256, &origin, set),
    };
    loaded.map_err(|e| Fail::Usage(format!("{what} {origin}: {e}")))?;
    let flag = flag.replace('_', "-");
    let mut line = format!("--{flag} {}", literal(&origin));
    if let Some(description) = keys::describe_certificate(&bytes) {
        let _ = write!(line, " ({})", comment(&description));
    }
    Ok(line)
}

/// The generated Rust source.
fn generate(set: &KeySet, sources: &[String], es256_table: bool) -> Outcome<String> {
    let mut s = String::new();
    let w = &mut s;
    line(
        w,
        "// tokengate provisioned keys, generated by `tokengate keys import`.",
    );
    line(w, "// Do not edit: re-run the import to update it.");
    line(w, "//");
    line(w, "// Sources, in order:");
    for source in sources {
        line(w, &format!("//   {source}"));
    }
    line(w, "//");
    line(
        w,
        &format!("// KEYS ({}): alg, kid, key, from", set.keys.len()),
    );
    for (i, key) in set.keys.iter().enumerate() {
        let kid = key.kid.as_deref().map_or("(no kid)".to_owned(), literal);
        line(
            w,
            &format!(
                "//   [{i}] {} {} {} from {}",
                key.material.alg(),
                comment(&kid),
                key.material.describe(),
                comment(&key.origin)
            ),
        );
    }
    if set.skipped.is_empty() {
        line(w, "// Skipped: none.");
    } else {
        line(w, &format!("// Skipped ({}):", set.skipped.len()));
        for skipped in &set.skipped {
            line(w, &format!("//   {}", comment(skipped)));
        }
    }
    line(w, "//");
    line(
        w,
        "// Use: `include!(\"keys.rs\");` in a module, then `tokengate::Verifier::new(&KEYS, POLICY)`.",
    );
    if set
        .keys
        .iter()
        .any(|k| matches!(k.material, Material::Rsa { .. }))
    {
        line(
            w,
            "// RSA keys are `tokengate::RsaPublicKey::new` statics: that `const fn` runs in the compiler,",
        );
        line(
            w,
            "// so each key's Montgomery constants (R^2 mod n, -n^-1 mod the limb base) are precomputed",
        );
        line(
            w,
            "// in the image and never derived at run time. A refused key is a compile error.",
        );
    }
    if set
        .keys
        .iter()
        .any(|k| matches!(k.material, Material::Hmac { .. }))
    {
        line(
            w,
            "// HS256 secrets are embedded below: whoever can read the firmware image can mint tokens.",
        );
    }
    let mut entries = Vec::with_capacity(set.keys.len());
    for (i, key) in set.keys.iter().enumerate() {
        line(w, "");
        entries.push(definition(w, i, key, es256_table)?);
    }
    line(w, "");
    line(w, "/// The provisioned key set.");
    line(w, "#[allow(clippy::panic)]");
    line(
        w,
        &format!(
            "pub static KEYS: [tokengate::Key<'static>; {}] = [",
            set.keys.len()
        ),
    );
    for entry in entries {
        line(w, &format!("    {entry},"));
    }
    line(w, "];");
    Ok(s)
}

/// Writes the static(s) for one key and returns its `KEYS` element.
fn definition(w: &mut String, i: usize, key: &Provisioned, es256_table: bool) -> Outcome<String> {
    let with_kid = match &key.kid {
        Some(kid) => format!(".with_kid({})", literal(kid)),
        None => String::new(),
    };
    Ok(match &key.material {
        Material::Es256(point) if es256_table => {
            let name = format!("KEY_{i}");
            // The same computation the generated `static` has the compiler do.
            tokengate::Es256KeyTable::<32>::new(point).map_err(|e| {
                Fail::Usage(format!("key [{i}]: no table for a point off P-256 ({e})"))
            })?;
            line(
                w,
                "// The point and a table of its multiples (32 points, 2 KiB of flash), computed from the",
            );
            line(
                w,
                "// point by the compiler (`Es256KeyTable::new` is a `const fn`: 2 to 3 s of build time).",
            );
            line(w, "#[allow(clippy::panic)]");
            line(
                w,
                &format!(
                    "static {name}: tokengate::Es256KeyTable = match tokengate::Es256KeyTable::new(&["
                ),
            );
            bytes(w, &point[..], "    ");
            line(w, "]) {");
            line(w, "    Ok(table) => table,");
            line(
                w,
                &format!("    Err(_) => panic!(\"{name}: not an uncompressed P-256 point\"),"),
            );
            line(w, "};");
            format!("tokengate::Key::es256_table(&{name}){with_kid}")
        }
        Material::Es256(point) => {
            let name = format!("KEY_{i}");
            line(w, "#[allow(clippy::panic)]");
            line(
                w,
                &format!("static {name}: tokengate::Es256Key = match tokengate::Es256Key::new(&["),
            );
            bytes(w, &point[..], "    ");
            line(w, "]) {");
            line(w, "    Ok(key) => key,");
            line(
                w,
                &format!("    Err(_) => panic!(\"{name}: not an uncompressed P-256 point\"),"),
            );
            line(w, "};");
            format!("tokengate::Key::es256(&{name}){with_kid}")
        }
        Material::Es384(point) => {
            let name = format!("KEY_{i}");
            line(w, "#[allow(clippy::panic)]");
            line(
                w,
                &format!("static {name}: tokengate::Es384Key = match tokengate::Es384Key::new(&["),
            );
            bytes(w, &point[..], "    ");
            line(w, "]) {");
            line(w, "    Ok(key) => key,");
            line(
                w,
                &format!("    Err(_) => panic!(\"{name}: not an uncompressed P-384 point\"),"),
            );
            line(w, "};");
            format!("tokengate::Key::es384(&{name}){with_kid}")
        }
        Material::Rsa { n, e, alg } => {
            let name = format!("KEY_{i}");
            let size = match keys::rsa_bits(n) {
                0..=2048 => "Rsa2048",
                2049..=3072 => "Rsa3072",
                _ => "Rsa4096",
            };
            line(w, "#[allow(clippy::panic)]");
            line(
                w,
                &format!("static {name}: tokengate::{size} = match tokengate::{size}::new("),
            );
            line(w, "    &[");
            bytes(w, n, "        ");
            line(w, "    ],");
            line(w, &format!("    {e},"));
            line(w, ") {");
            line(w, "    Ok(key) => key,");
            line(
                w,
                &format!("    Err(_) => panic!(\"{name}: RSA key refused\"),"),
            );
            line(w, "};");
            // `Key::rs256`, `Key::ps384`, ...: the constructor named after the algorithm.
            let constructor = alg.name().to_ascii_lowercase();
            format!("tokengate::Key::{constructor}(&{name}){with_kid}")
        }
        Material::Ed25519(x) => {
            let name = format!("KEY_{i}");
            line(w, "#[allow(clippy::panic)]");
            line(
                w,
                &format!(
                    "static {name}: tokengate::Ed25519Key = match tokengate::Ed25519Key::new(&["
                ),
            );
            bytes(w, &x[..], "    ");
            line(w, "]) {");
            line(w, "    Ok(key) => key,");
            line(
                w,
                &format!("    Err(_) => panic!(\"{name}: not a canonical Ed25519 key\"),"),
            );
            line(w, "};");
            format!("tokengate::Key::ed25519(&{name}){with_kid}")
        }
        Material::Hmac { secret, alg } => {
            let name = format!("SECRET_{i}");
            line(w, &format!("static {name}: [u8; {}] = [", secret.len()));
            bytes(w, secret, "    ");
            line(w, "];");
            let (bits, min) = match alg {
                tokengate::Alg::Hs384 => (384, tokengate::HS384_MIN_SECRET_LEN),
                tokengate::Alg::Hs512 => (512, tokengate::HS512_MIN_SECRET_LEN),
                _ => (256, tokengate::HS256_MIN_SECRET_LEN),
            };
            format!(
                "tokengate::Key::hs{bits}(match tokengate::Hs{bits}Key::new(&{name}) {{ Ok(key) => \
                 key, Err(_) => panic!(\"{name}: shorter than {min} bytes\") }}){with_kid}"
            )
        }
    })
}

/// Appends one line of generated source (Rust or C).
pub(crate) fn line(w: &mut String, text: &str) {
    w.push_str(text);
    w.push('\n');
}

/// Appends `data` as `0x..` byte literals, [`BYTES_PER_LINE`] a line: the same array syntax in
/// Rust and C.
pub(crate) fn bytes(w: &mut String, data: &[u8], indent: &str) {
    for chunk in data.chunks(BYTES_PER_LINE) {
        let row: Vec<String> = chunk.iter().map(|b| format!("0x{b:02x}")).collect();
        line(w, &format!("{indent}{},", row.join(", ")));
    }
}

/// A Rust string literal for any text: printable ASCII as is, everything else escaped, so no
/// kid can break out of the literal or smuggle bidirectional controls into the source.
pub(crate) fn literal(text: &str) -> String {
    let mut s = String::with_capacity(text.len().saturating_add(2));
    s.push('"');
    for c in text.chars() {
        match c {
            '"' => s.push_str("\\\""),
            '\\' => s.push_str("\\\\"),
            ' '..='~' => s.push(c),
            _ => {
                let _ = write!(s, "\\u{{{:x}}}", u32::from(c));
            }
        }
    }
    s.push('"');
    s
}

/// Text safe inside a `//` comment: printable ASCII kept, everything else escaped.
pub(crate) fn comment(text: &str) -> String {
    let mut s = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            ' '..='~' => s.push(c),
            _ => {
                let _ = write!(s, "\\u{{{:x}}}", u32::from(c));
            }
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_and_comments_are_contained() {
        assert_eq!(literal("a\"b\\c"), r#""a\"b\\c""#);
        assert_eq!(literal("x\ny"), r#""x\u{a}y""#);
        assert_eq!(literal("\u{202e}é"), r#""\u{202e}\u{e9}""#);
        assert_eq!(comment("one\ntwo\r\u{2028}"), r"one\u{a}two\u{d}\u{2028}");
    }
}
