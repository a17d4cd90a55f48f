//! The CLI's stable interface: flags, exit codes, stdout JSON and stderr reasons; and hostile
//! input, which must give a one-line reason and the documented exit code, never a panic.

// Test code: a failed expectation is a panic with a message.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use base64ct::Encoding;
use common::*;
use serde_json::json;

fn sample_policy() -> Vec<String> {
    ["--iss", ISS, "--aud", AUD, "--now", &NOW.to_string()]
        .map(str::to_owned)
        .to_vec()
}

fn verify(keys: &[&str], token: &str, extra: &[&str]) -> Run {
    let mut args = vec!["verify"];
    args.extend_from_slice(keys);
    let policy = sample_policy();
    args.extend(policy.iter().map(String::as_str));
    args.extend_from_slice(extra);
    args.push("-");
    cli_with_stdin(&args, token.as_bytes())
}

fn sample_claims() -> serde_json::Value {
    json!({
        "active": true,
        "iss": ISS,
        "sub": "device-operator",
        "aud": AUD,
        "iat": 1_767_225_600u64,
        "exp": 4_102_444_800u64,
        "scope": "door:open door:status",
        "jti": "sample-1",
    })
}

#[test]
fn verify_every_sample_token_through_the_jwks() {
    let jwks = data("keys/jwks.json");
    for name in ["es256", "rs256-2048", "rs256-3072", "rs256-4096"] {
        let run = verify(&["--jwks", &jwks], &token(name), &[]);
        assert_eq!(run.code, 0, "{name}: {run:#?}");
        assert!(run.stderr.is_empty(), "{name}: {run:#?}");
        assert_eq!(run.json(), sample_claims(), "{name}");
        assert_eq!(
            member_names(&run.json()),
            ["active", "iss", "sub", "aud", "iat", "exp", "scope", "jti"],
            "claims in token order, after `active`"
        );
    }
}

#[test]
fn verify_with_pem_certificate_jwk_and_secret_keys() {
    let dir = scratch("single-keys");
    let jwks: serde_json::Value =
        serde_json::from_slice(&std::fs::read(root().join(data("keys/jwks.json"))).unwrap())
            .unwrap();
    let es256_jwk = write(&dir, "es256.jwk", jwks["keys"][0].to_string());
    let cases = [
        ("es256", data("keys/es256.pub.pem")),
        ("es256", es256_jwk),
        ("rs256-2048", data("keys/rsa2048.pub.pem")),
        ("rs256-2048", data("keys/rsa2048.cert.pem")),
        ("rs256-3072", data("keys/rsa3072.pub.pem")),
        ("rs256-4096", data("keys/rsa4096.pub.pem")),
    ];
    for (name, key) in cases {
        let run = verify(&["--key", &key], &token(name), &[]);
        assert_eq!(run.code, 0, "{name} with {key}: {run:#?}");
        assert_eq!(run.json(), sample_claims());
    }
    // PKCS#1 `RSA PUBLIC KEY`: the RSAPublicKey inside the SubjectPublicKeyInfo.
    let spki_pem = std::fs::read(root().join(data("keys/rsa2048.pub.pem"))).unwrap();
    let (_, spki_der) = der::pem::decode_vec(&spki_pem).unwrap();
    let spki = <spki::SubjectPublicKeyInfoRef<'_> as der::Decode>::from_der(&spki_der).unwrap();
    let pkcs1 = der::pem::encode_string(
        "RSA PUBLIC KEY",
        der::pem::LineEnding::LF,
        spki.subject_public_key.raw_bytes(),
    )
    .unwrap();
    let pkcs1 = write(&dir, "rsa2048.pkcs1.pem", pkcs1);
    let run = verify(&["--key", &pkcs1], &token("rs256-2048"), &[]);
    assert_eq!(run.code, 0, "{run:#?}");
    // A single symmetric JWK named with --key is an HS256 secret (never from a key set), once
    // its `alg` says so.
    let raw = std::fs::read(root().join(data("keys/hs256.secret"))).unwrap();
    let k = base64ct::Base64UrlUnpadded::encode_string(&raw);
    let oct = write(
        &dir,
        "hs256.jwk",
        json!({"kty": "oct", "alg": "HS256", "kid": "hs256-test", "k": k}).to_string(),
    );
    let run = verify(&["--key", &oct], &token("hs256"), &[]);
    assert_eq!(run.code, 0, "{run:#?}");
    let bare = write(
        &dir,
        "bare.jwk",
        json!({"kty": "oct", "kid": "hs256-test", "k": k}).to_string(),
    );
    let run = verify(&["--key", &bare], &token("hs256"), &[]);
    run.assert_usage(&format!(
        "key file {bare}: JWK refused: an oct key without `alg` (a secret must name HS256, HS384 or HS512)"
    ));
    run.assert_one_stderr_line();
    let short = write(
        &dir,
        "short.jwk",
        r#"{"kty":"oct","alg":"HS256","k":"c2hvcnQ"}"#,
    );
    verify(&["--key", &short], &token("hs256"), &[])
        .assert_usage("HS256 secret of 5 bytes is shorter than 32");
    let secret = data("keys/hs256.secret");
    let run = verify(&["--hs256-secret-file", &secret], &token("hs256"), &[]);
    assert_eq!(run.code, 0, "{run:#?}");
    assert_eq!(run.json(), sample_claims());
}

/// JWK files go through `tokengate::jwk`: its strict JSON, its decoding of escapes, its notice
/// of private members.
#[test]
fn jwk_files_are_read_by_the_library() {
    let dir = scratch("library-jwk");
    let jwks: serde_json::Value =
        serde_json::from_slice(&std::fs::read(root().join(data("keys/jwks.json"))).unwrap())
            .unwrap();
    let es256 = jwks["keys"][0].clone();
    // The kid with an escape: decoded, it is the sample token's kid.
    let escaped = es256
        .to_string()
        .replace("\"es256-test\"", "\"es256\\u002dtest\"");
    assert!(escaped.contains("\\u002d"), "{escaped}");
    let escaped = write(&dir, "escaped.jwk", &escaped);
    let run = verify(&["--key", &escaped], &token("es256"), &[]);
    assert_eq!(run.code, 0, "{run:#?}");
    assert!(run.stderr.is_empty(), "{run:#?}");
    let other_kid = write(
        &dir,
        "other-kid.jwk",
        es256.to_string().replace("es256-test", "es256-other"),
    );
    verify(&["--key", &other_kid], &token("es256"), &[])
        .assert_rejected("no provisioned key has the token's kid");
    // Private members: used for the public key, with a warning.
    let mut private = es256.clone();
    private["d"] = json!("AAAA");
    let private = write(&dir, "private.jwk", private.to_string());
    let run = verify(&["--key", &private], &token("es256"), &[]);
    assert_eq!(run.code, 0, "{run:#?}");
    assert_eq!(
        run.stderr,
        format!(
            "tokengate: warning: {private}: holds PRIVATE key members; only the public key is \
             used, and the file should not be published\n"
        )
    );
    // A member twice, which serde_json would take: refused, set and key alike.
    let twice = es256.to_string().replacen('{', "{\"kid\":\"first\",", 1);
    let twice_key = write(&dir, "twice.jwk", &twice);
    let run = verify(&["--key", &twice_key], &token("es256"), &[]);
    run.assert_usage(&format!("key file {twice_key}: Jwk has a duplicate member"));
    run.assert_one_stderr_line();
    let twice_set = write(&dir, "twice.jwks", format!("{{\"keys\":[{twice}]}}"));
    let run = verify(&["--jwks", &twice_set], &token("es256"), &[]);
    run.assert_usage(&format!("JWK Set {twice_set}: Jwk has a duplicate member"));
    run.assert_one_stderr_line();
}

#[test]
fn token_as_argument_or_stdin() {
    let token = token("es256");
    let jwks = data("keys/jwks.json");
    let now = NOW.to_string();
    let run = cli(&["verify", "--jwks", &jwks, "--now", &now, &token]);
    assert_eq!(run.code, 0, "{run:#?}");
    // Surrounding whitespace (a file's newline) is not part of the token.
    let run = cli_with_stdin(
        &["verify", "--jwks", &jwks, "--now", &now, "-"],
        format!("\n  {token}\r\n").as_bytes(),
    );
    assert_eq!(run.code, 0, "{run:#?}");
}

#[test]
fn policy_flags_reject_with_the_library_reason() {
    let jwks = data("keys/jwks.json");
    let es = token("es256");
    let k = ["--jwks", jwks.as_str()];
    let base = |extra: &[&str]| {
        let mut args = vec!["verify", "--jwks", &jwks];
        args.extend_from_slice(extra);
        args.push("-");
        cli_with_stdin(&args, es.as_bytes())
    };
    base(&["--iss", "https://other.test", "--now", "1767229200"]).assert_rejected("wrong issuer");
    base(&["--aud", "door-18", "--now", "1767229200"]).assert_rejected("wrong audience");
    // Several --aud accept any of them.
    assert_eq!(
        base(&["--aud", "door-18", "--aud", AUD, "--now", "1767229200"]).code,
        0
    );
    base(&["--now", "4102444800"]).assert_rejected("token expired: now 4102444800, exp 4102444800");
    // Leeway moves the boundary by exactly its value.
    assert_eq!(base(&["--now", "4102444800", "--leeway", "1"]).code, 0);
    base(&["--now", "4102444801", "--leeway", "1"])
        .assert_rejected("token expired: now 4102444801, exp 4102444800");
    base(&["--now", "1767225599"])
        .assert_rejected("token issued in the future: now 1767225599, iat 1767225600");
    assert_eq!(base(&["--now", "1767225599", "--leeway", "1"]).code, 0);
    verify(&k, &es, &["--require-scope", "door:close"])
        .assert_rejected("a required scope is not granted");
    let run = verify(
        &k,
        &es,
        &[
            "--require-scope",
            "door:open",
            "--require-scope",
            "door:status",
        ],
    );
    assert_eq!(run.code, 0, "{run:#?}");
    verify(&k, &es, &["--max-age", "60"])
        .assert_rejected("token too old: now 1767229200, iat 1767225600, max age 60 s");
    assert_eq!(verify(&k, &es, &["--max-age", "3600"]).code, 0);
    verify(&k, &es, &["--typ", "at+jwt"]).assert_rejected("wrong or missing typ");
    assert_eq!(verify(&k, &es, &["--typ", "JWT"]).code, 0);
}

#[test]
fn default_clock_is_the_system_clock() {
    let dir = scratch("clock");
    let secret = data("keys/hs256.secret");
    let past = mint(&[
        "--alg",
        "HS256",
        "--key",
        &secret,
        "--claims",
        r#"{"exp":1000000000}"#,
    ]);
    let run = cli_with_stdin(
        &["verify", "--hs256-secret-file", &secret, "-"],
        past.as_bytes(),
    );
    assert_eq!(run.code, 1, "{run:#?}");
    let reason = run.stderr.trim_end();
    let now: u64 = reason
        .strip_prefix("tokengate: rejected: token expired: now ")
        .and_then(|r| r.strip_suffix(", exp 1000000000"))
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{reason}"));
    let system = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    assert!(now <= system && now + 60 > system, "{now} vs {system}");
    drop(dir);
}

#[test]
fn keys_are_bound_to_their_algorithm() {
    let jwks = data("keys/jwks.json");
    // The RSA public key's PEM used as an HMAC secret, naming the RSA key's kid: the classic
    // RS256/HS256 confusion.
    let dir = scratch("confusion");
    let pem = std::fs::read(root().join(data("keys/rsa2048.pub.pem"))).unwrap();
    let secret = write(&dir, "pem-as-secret", pem);
    let forged = mint(&[
        "--alg",
        "HS256",
        "--key",
        &secret,
        "--kid",
        "rs256-2048-test",
        "--claims",
        r#"{"iss":"https://issuer.tokengate.test","aud":"door-17","exp":4102444800}"#,
    ]);
    verify(&["--jwks", &jwks], &forged, &[])
        .assert_rejected("token alg HS256 does not match the key's algorithm RS256");
    // A JWK's `alg` binds it: an EC key labelled RS256 is not provisioned at all.
    let mislabelled = write(
        &dir,
        "mislabelled.jwk",
        r#"{"kty":"EC","crv":"P-256","alg":"RS256","x":"BlhW6D430YXhk8I2UGCHGb3tCL2Up9qaFTSbh-nbtIo","y":"daxNmkhnnN5fjjJ67AvcDg1LZCKdJjsDkmuK_qPbEEI"}"#,
    );
    verify(&["--key", &mislabelled], &token("es256"), &[])
        .assert_usage("JWK refused: `alg` is not an algorithm of the key type (such as ES256)");
    // Keys of another algorithm: no key for the token's alg.
    verify(
        &["--key", &data("keys/es256.pub.pem")],
        &token("rs256-2048"),
        &[],
    )
    .assert_rejected("token alg RS256 does not match the key's algorithm ES256");
    // The wrong key of the right algorithm.
    verify(
        &["--key", &data("keys/rsa3072.pub.pem")],
        &token("rs256-2048"),
        &[],
    )
    .assert_rejected("signature is 256 bytes, expected 384");
    let other = write(&dir, "other.secret", [7u8; 32]);
    verify(&["--hs256-secret-file", &other], &token("hs256"), &[])
        .assert_rejected("signature did not verify");
}

#[test]
fn jwks_entries_that_cannot_be_used_are_skipped_with_a_warning() {
    let dir = scratch("skips");
    let small_n = base64ct::Base64UrlUnpadded::encode_string(&[0xc5; 128]);
    let small_n = small_n.as_str();
    // A 2048-bit odd modulus, bound to PS256: provisioned as a PS256 key.
    let pss_n = base64ct::Base64UrlUnpadded::encode_string(&[0xc5; 256]);
    let pss_n = pss_n.as_str();
    let jwks = json!({"keys": [
        {"kty": "RSA", "use": "enc", "kid": "enc-1", "n": small_n, "e": "AQAB"},
        {"kty": "OKP", "crv": "Ed448", "kid": "ed-1", "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"},
        {"kty": "EC", "crv": "P-521", "kid": "p521-1", "x": "AA", "y": "AA"},
        {"kty": "RSA", "kid": "rsa-1024", "n": small_n, "e": "AQAB"},
        {"kty": "RSA", "alg": "PS256", "kid": "pss-1", "n": small_n, "e": "AQAB"},
        {"kty": "oct", "kid": "secret-1", "k": "c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0MTI"},
        {"kty": "oct", "alg": "HS256", "kid": "secret-2", "k": "c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0MTI"},
        {"kty": "EC", "crv": "P-256", "use": "sig", "alg": "ES256", "kid": "es256-test",
         "x": "BlhW6D430YXhk8I2UGCHGb3tCL2Up9qaFTSbh-nbtIo",
         "y": "daxNmkhnnN5fjjJ67AvcDg1LZCKdJjsDkmuK_qPbEEI"},
        {"kty": "RSA", "alg": "PS256", "kid": "pss-2", "n": pss_n, "e": "AQAB"},
    ]});
    let path = write(&dir, "mixed.jwks", jwks.to_string());
    let run = verify(&["--jwks", &path], &token("es256"), &[]);
    assert_eq!(run.code, 0, "{run:#?}");
    assert_eq!(run.json(), sample_claims());
    let expected = [
        "keys[0] (kid \"enc-1\"): JWK refused: `use` is not \"sig\"",
        "keys[1] (kid \"ed-1\"): JWK refused: an OKP key's `crv` is not Ed25519 (Ed448 is not supported; X25519 and X448 do not sign)",
        "keys[2] (kid \"p521-1\"): JWK refused: `crv` is not P-256 or P-384",
        "keys[3] (kid \"rsa-1024\"): RSA modulus of 1024 bits is outside 2048..=4096",
        "keys[4] (kid \"pss-1\"): RSA modulus of 1024 bits is outside 2048..=4096",
        "keys[5] (kid \"secret-1\"): JWK refused: an oct key without `alg` (a secret must name HS256, HS384 or HS512)",
        "keys[6] (kid \"secret-2\"): a symmetric (kty \"oct\") key in a key set is never provisioned from it: pass the secret with --hs256-secret-file, --hs384-secret-file or --hs512-secret-file",
    ];
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(lines.len(), expected.len(), "{run:#?}");
    for (line, reason) in lines.iter().zip(expected) {
        assert_eq!(
            *line,
            format!("tokengate: warning: skipped {path} {reason}")
        );
    }
    // The same set through `keys import`: the skips are in the output too.
    let run = cli(&["keys", "import", "--jwks", &path]);
    assert_eq!(run.code, 0, "{run:#?}");
    assert_eq!(run.stderr.lines().count(), expected.len(), "{run:#?}");
    assert!(run.stdout.contains("// Skipped (7):"), "{}", run.stdout);
    assert!(
        run.stdout
            .contains("tokengate::Key::ps256(&KEY_1).with_kid(\"pss-2\")"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("RSA modulus of 1024 bits is outside 2048..=4096")
    );
    assert!(
        run.stdout
            .contains("pub static KEYS: [tokengate::Key<'static>; 2] = [")
    );
}

#[test]
fn usage_errors_exit_2() {
    let es = token("es256");
    let jwks = data("keys/jwks.json");
    // No key at all.
    cli(&["verify", &es])
        .assert_usage("no key: pass --jwks FILE, --key FILE or --hs256-secret-file FILE");
    // Unknown flag, bad number: clap's usage errors, exit 2.
    let bad_flag = cli(&["verify", "--jwks", &jwks, "--issuer", "x", &es]);
    assert_eq!(bad_flag.code, 2, "{bad_flag:#?}");
    let bad_now = cli(&["verify", "--jwks", &jwks, "--now", "yesterday", &es]);
    assert_eq!(bad_now.code, 2, "{bad_now:#?}");
    assert!(bad_now.stderr.contains("--now"), "{bad_now:#?}");
    let no_token = cli(&["verify", "--jwks", &jwks]);
    assert_eq!(no_token.code, 2, "{no_token:#?}");
    cli(&["verify", "--jwks", "does/not/exist.json", &es])
        .assert_usage("cannot read JWK Set does/not/exist.json");
    cli(&["verify", "--jwks", &jwks, "--require-scope", "a b", &es])
        .assert_usage("a scope is one non-empty word");
    // Private keys are refused as verification keys.
    cli(&["verify", "--key", &data("keys/es256.pem"), &es])
        .assert_usage("holds a PRIVATE KEY: provision the PUBLIC key");
    // A JWK Set given as a single key.
    cli(&["verify", "--key", &jwks, &es]).assert_usage("is a JWK Set: pass it with --jwks");
    // A secret that is too short, with the library's reason.
    let dir = scratch("usage");
    let short = write(&dir, "short.secret", b"too short");
    cli(&["verify", "--hs256-secret-file", &short, &es])
        .assert_usage("HS256 secret of 9 bytes is shorter than 32");
    // --help and --version are not errors.
    assert_eq!(cli(&["--help"]).code, 0);
    assert_eq!(cli(&["verify", "--help"]).code, 0);
    assert_eq!(cli(&["--version"]).code, 0);
}

#[test]
fn hostile_tokens_are_rejected_in_one_line() {
    let jwks = data("keys/jwks.json");
    let now = NOW.to_string();
    let args = [
        "verify",
        "--jwks",
        jwks.as_str(),
        "--now",
        now.as_str(),
        "-",
    ];
    // Binary garbage.
    let garbage: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let run = cli_with_stdin(&args, &garbage);
    assert_eq!(run.code, 1, "{run:#?}");
    assert_eq!(run.json(), json!({"active": false}));
    run.assert_one_stderr_line();
    // A 1 MB token of valid base64url: too large for the buffers, by the library's check.
    let header = "eyJhbGciOiJFUzI1NiJ9";
    let big = format!("{header}.{}.{}", "A".repeat(1 << 20), "A".repeat(86));
    cli_with_stdin(&args, big.as_bytes()).assert_rejected(
        "token too large: needs 786447 bytes where 16384 fit (decoded header and payload in the buffers, or the signature in MAX_SIGNATURE_LEN)",
    );
    // Not three segments; bad base64url; alg none; empty input.
    cli_with_stdin(&args, b"a.b").assert_rejected("token does not have exactly three segments");
    cli_with_stdin(&args, b"").assert_rejected("token does not have exactly three segments");
    cli_with_stdin(&args, b"eyJhbGciOiJFUzI1NiJ9.e30=.AA")
        .assert_rejected("Payload segment is not canonical unpadded base64url");
    cli_with_stdin(&args, b"eyJhbGciOiJub25lIn0.e30.")
        .assert_rejected("alg `none` is never accepted");
    // A token as a non-UTF-8 argument is a token, rejected: not a usage error.
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_tokengate"))
            .current_dir(root())
            .args(["verify", "--jwks", &jwks])
            .arg(std::ffi::OsStr::from_bytes(b"\xff\xfe.\x80.\x01"))
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(1));
        assert_eq!(
            String::from_utf8_lossy(&output.stderr),
            "tokengate: rejected: Header segment is not canonical unpadded base64url\n"
        );
    }
    // Tampered signature.
    let es = token("es256");
    let tampered = format!("{}A", &es[..es.len() - 1]);
    let run = cli_with_stdin(&args, tampered.as_bytes());
    assert_eq!(run.code, 1, "{run:#?}");
    run.assert_one_stderr_line();
}

#[test]
fn hostile_key_files_exit_2_in_one_line() {
    let dir = scratch("hostile-keys");
    let es = token("es256");
    let garbage: Vec<u8> = (0..2048u32)
        .map(|i| (i.wrapping_mul(40_503) >> 7) as u8)
        .collect();
    let binary = write(&dir, "garbage.bin", &garbage);
    let not_json = write(&dir, "jwks.json", "{\"keys\": [ this is not json");
    let not_a_set = write(&dir, "not-a-set.json", "[1, 2, 3]");
    let keys_not_array = write(&dir, "keys-object.json", r#"{"keys": {"kty": "EC"}}"#);
    let empty = write(&dir, "empty.pem", "");
    let bad_pem = write(
        &dir,
        "bad.pem",
        "-----BEGIN PUBLIC KEY-----\n!!!!\n-----END PUBLIC KEY-----\n",
    );
    let bad_der = write(
        &dir,
        "bad-der.pem",
        "-----BEGIN PUBLIC KEY-----\nMAA=\n-----END PUBLIC KEY-----\n",
    );
    let deep = write(
        &dir,
        "deep.json",
        format!("{}{}", "[".repeat(100_000), "]".repeat(100_000)),
    );
    let cases: [(&str, &str, &str); 9] = [
        ("--jwks", &binary, "not valid JSON"),
        ("--jwks", &not_json, "not valid JSON"),
        ("--jwks", &not_a_set, "not a JWK Set: not a JSON object"),
        (
            "--jwks",
            &keys_not_array,
            "not a JWK Set: `keys` is not an array",
        ),
        ("--jwks", &deep, "Jwk nests JSON deeper than 16 levels"),
        ("--key", &binary, "not a PEM file"),
        ("--key", &empty, "not a PEM file (no -----BEGIN line)"),
        ("--key", &bad_pem, "malformed PEM"),
        ("--key", &bad_der, "malformed SubjectPublicKeyInfo"),
    ];
    for (flag, path, reason) in cases {
        let run = cli(&["verify", flag, path, &es]);
        run.assert_usage(reason);
        run.assert_one_stderr_line();
    }
    // Directory instead of a file.
    let run = cli(&["verify", "--jwks", dir.to_str().unwrap(), &es]);
    run.assert_usage("cannot read JWK Set");
    run.assert_one_stderr_line();
}

#[test]
fn inspect_decodes_without_verifying() {
    let run = cli(&["inspect", &token("rs256-2048")]);
    assert_eq!(run.code, 0, "{run:#?}");
    assert_eq!(
        run.stderr,
        "tokengate: UNVERIFIED: decoded only; the signature, issuer, audience and times were NOT checked\n"
    );
    let out = run.json();
    assert_eq!(out["verified"], json!(false));
    assert_eq!(
        out["header"],
        json!({"alg": "RS256", "kid": "rs256-2048-test", "typ": "JWT"})
    );
    assert_eq!(out["claims"]["jti"], json!("sample-1"));
    assert_eq!(
        out["dates_utc"],
        json!({"iat": "2026-01-01T00:00:00Z", "exp": "2100-01-01T00:00:00Z"})
    );
    assert_eq!(out["signature_bytes"], json!(256));
    // A forged token decodes just the same: inspect trusts nothing and checks nothing.
    let es = token("es256");
    let forged = format!("{}.{}", es.rsplit_once('.').unwrap().0, "AAAA");
    assert_eq!(cli_with_stdin(&["inspect", "-"], forged.as_bytes()).code, 0);
}

#[test]
fn inspect_rejects_undecodable_tokens_in_one_line() {
    let cases: [(&[u8], &str); 6] = [
        (b"abc", "not a compact JWT: 1 segment instead of 3"),
        (b"a.b.c.d.e", "5 segments: an encrypted JWE"),
        (b"!!.e30.AA", "header segment is not unpadded base64url"),
        (b"e30.bm90IGpzb24.AA", "payload is not JSON"),
        (b"e30.e30.!", "signature segment is not unpadded base64url"),
        (
            b"\xff\x00\x01.\x02.\x03",
            "header segment is not unpadded base64url",
        ),
    ];
    for (input, reason) in cases {
        let run = cli_with_stdin(&["inspect", "-"], input);
        assert_eq!(run.code, 1, "{run:#?}");
        assert!(run.stdout.is_empty());
        run.assert_one_stderr_line();
        assert!(
            run.stderr
                .starts_with(&format!("tokengate: cannot decode: {reason}")),
            "{run:#?}"
        );
    }
    let big = vec![b'A'; 1 << 20];
    let run = cli_with_stdin(&["inspect", "-"], &big);
    assert_eq!(run.code, 1);
    run.assert_one_stderr_line();
}

#[test]
fn mint_round_trips_through_verify() {
    let claims = r#"{"iss":"https://issuer.tokengate.test","aud":"door-17","exp":4102444800,"scope":"door:open"}"#;
    let cases = [
        (
            "ES256",
            data("keys/es256.pem"),
            vec!["--jwks", "tests/data/keys/jwks.json"],
            "es256-test",
        ),
        (
            "RS256",
            data("keys/rsa4096.pem"),
            vec!["--jwks", "tests/data/keys/jwks.json"],
            "rs256-4096-test",
        ),
        (
            "HS256",
            data("keys/hs256.secret"),
            vec!["--hs256-secret-file", "tests/data/keys/hs256.secret"],
            "hs256-test",
        ),
    ];
    for (alg, key, keys, kid) in cases {
        let token = mint(&[
            "--alg", alg, "--key", &key, "--kid", kid, "--claims", claims,
        ]);
        assert_eq!(
            payload_text(&token),
            claims,
            "the payload is the claims text, byte for byte"
        );
        let run = verify(&keys, &token, &["--require-scope", "door:open"]);
        assert_eq!(run.code, 0, "{alg}: {run:#?}");
        let inspected = cli_with_stdin(&["inspect", "-"], token.as_bytes()).json();
        assert_eq!(
            inspected["header"],
            json!({"alg": alg, "typ": "JWT", "kid": kid}),
            "{alg}"
        );
    }
    // --header adds members and may override typ.
    let token = mint(&[
        "--alg",
        "ES256",
        "--key",
        &data("keys/es256.pem"),
        "--header",
        r#"{"typ":"at+jwt","x5t":"abc"}"#,
        "--claims",
        claims,
    ]);
    let header = cli(&["inspect", &token]).json()["header"].clone();
    assert_eq!(
        header,
        json!({"alg": "ES256", "typ": "at+jwt", "x5t": "abc"})
    );
    let run = verify(
        &["--key", &data("keys/es256.pub.pem")],
        &token,
        &["--typ", "at+jwt"],
    );
    assert_eq!(run.code, 0, "{run:#?}");
    // Claims from a file.
    let dir = scratch("mint-file");
    let file = write(&dir, "claims.json", format!("{claims}\n"));
    let from_file = mint(&[
        "--alg",
        "HS256",
        "--key",
        &data("keys/hs256.secret"),
        "--claims",
        &format!("@{file}"),
    ]);
    assert_eq!(payload_text(&from_file), claims);
}

#[test]
fn mint_takes_sec1_and_pkcs1_private_keys() {
    let dir = scratch("mint-formats");
    let pkcs8 = std::fs::read_to_string(root().join(data("keys/es256.pem"))).unwrap();
    let sec1 = <p256::SecretKey as p256::pkcs8::DecodePrivateKey>::from_pkcs8_pem(&pkcs8)
        .unwrap()
        .to_sec1_pem(p256::pkcs8::LineEnding::LF)
        .unwrap();
    assert!(sec1.starts_with("-----BEGIN EC PRIVATE KEY-----"));
    let sec1 = write(&dir, "es256.sec1.pem", sec1.as_bytes());
    let pkcs8 = std::fs::read_to_string(root().join(data("keys/rsa2048.pem"))).unwrap();
    let pkcs1 = rsa::pkcs1::EncodeRsaPrivateKey::to_pkcs1_pem(
        &<rsa::RsaPrivateKey as rsa::pkcs8::DecodePrivateKey>::from_pkcs8_pem(&pkcs8).unwrap(),
        rsa::pkcs8::LineEnding::LF,
    )
    .unwrap();
    assert!(pkcs1.starts_with("-----BEGIN RSA PRIVATE KEY-----"));
    let pkcs1 = write(&dir, "rsa2048.pkcs1.pem", pkcs1.as_bytes());
    let claims = r#"{"exp":4102444800}"#;
    for (alg, key, public) in [
        ("ES256", sec1, data("keys/es256.pub.pem")),
        ("RS256", pkcs1, data("keys/rsa2048.pub.pem")),
    ] {
        let token = mint(&["--alg", alg, "--key", &key, "--claims", claims]);
        let run = cli_with_stdin(&["verify", "--key", &public, "-"], token.as_bytes());
        assert_eq!(run.code, 0, "{alg}: {run:#?}");
    }
}

#[test]
fn mint_usage_errors_exit_2() {
    let es_key = data("keys/es256.pem");
    let rsa_key = data("keys/rsa2048.pem");
    let claims = r#"{"exp":4102444800}"#;
    cli(&[
        "mint",
        "--alg",
        "ES256",
        "--key",
        &es_key,
        "--claims",
        "{not json",
    ])
    .assert_usage("--claims is not valid JSON");
    cli(&[
        "mint", "--alg", "ES256", "--key", &es_key, "--claims", "[1]",
    ])
    .assert_usage("--claims must be a JSON object");
    cli(&[
        "mint", "--alg", "ES256", "--key", &rsa_key, "--claims", claims,
    ])
    .assert_usage("holds an RSA private key; --alg ES256 needs a P-256 private key");
    cli(&[
        "mint", "--alg", "RS256", "--key", &es_key, "--claims", claims,
    ])
    .assert_usage("holds a P-256 private key; --alg RS256 needs an RSA private key");
    cli(&[
        "mint",
        "--alg",
        "RS256",
        "--key",
        &data("keys/rsa2048.pub.pem"),
        "--claims",
        claims,
    ])
    .assert_usage("holds a public key, not a private key");
    cli(&[
        "mint",
        "--alg",
        "ES256",
        "--key",
        &es_key,
        "--claims",
        claims,
        "--header",
        r#"{"alg":"HS256"}"#,
    ])
    .assert_usage("the algorithm comes from --alg");
    cli(&[
        "mint",
        "--alg",
        "ES256",
        "--key",
        &es_key,
        "--claims",
        claims,
        "--kid",
        "a",
        "--header",
        r#"{"kid":"b"}"#,
    ])
    .assert_usage("give one");
    let bad_alg = cli(&[
        "mint", "--alg", "none", "--key", &es_key, "--claims", claims,
    ]);
    assert_eq!(bad_alg.code, 2, "{bad_alg:#?}");
    let dir = scratch("mint-usage");
    let binary = write(&dir, "garbage.pem", [0xffu8, 0, 1, 2]);
    cli(&[
        "mint", "--alg", "ES256", "--key", &binary, "--claims", claims,
    ])
    .assert_usage("not a PEM file");
    let empty = write(&dir, "empty.secret", "");
    cli(&[
        "mint", "--alg", "HS256", "--key", &empty, "--claims", claims,
    ])
    .assert_usage("is empty");
}

#[test]
fn import_errors_exit_2() {
    let dir = scratch("import-errors");
    cli(&["keys", "import"]).assert_usage("no key source");
    let not_json = write(&dir, "jwks.json", "<html>not json</html>");
    cli(&["keys", "import", "--jwks", &not_json]).assert_usage("not valid JSON");
    cli(&["keys", "import", "--cert", &data("keys/rsa2048.pub.pem")])
        .assert_usage("expected a CERTIFICATE, found a PUBLIC KEY PEM block");
    let only_skips = write(
        &dir,
        "enc.json",
        r#"{"keys":[{"kty":"RSA","use":"enc","n":"AQAB","e":"AQAB"}]}"#,
    );
    let run_skips = cli(&["keys", "import", "--jwks", &only_skips]);
    run_skips.assert_usage("no usable key in the given sources");
    assert!(
        run_skips.stderr.contains("warning: skipped"),
        "{run_skips:#?}"
    );
    cli(&["keys", "import", "--url", "ftp://example.test/keys"])
        .assert_usage("only http:// and https:// URLs are fetched");
}

#[test]
fn import_keeps_command_line_order_and_writes_out() {
    let dir = scratch("import-order");
    let out = dir.join("keys.rs");
    let out = out.to_str().unwrap();
    let run = cli(&[
        "keys",
        "import",
        "--hs256-secret-file",
        &data("keys/hs256.secret"),
        "--pem",
        &data("keys/es256.pub.pem"),
        "--jwks",
        &data("keys/jwks.json"),
        "--cert",
        &data("keys/rsa2048.cert.pem"),
        "--out",
        out,
    ]);
    assert_eq!(run.code, 0, "{run:#?}");
    assert!(run.stdout.is_empty());
    assert_eq!(
        run.stderr,
        format!("tokengate: wrote 7 keys to {out} (0 skipped)\n")
    );
    let source = std::fs::read_to_string(out).unwrap();
    let listed: Vec<&str> = source
        .lines()
        .filter(|l| l.starts_with("//   --"))
        .map(|l| l.split_whitespace().nth(1).unwrap())
        .collect();
    assert_eq!(listed, ["--hs256-secret-file", "--pem", "--jwks", "--cert"]);
    assert!(source.contains("static SECRET_0: [u8; 32]"));
    assert!(source.contains("static KEY_1: tokengate::Es256Key"));
    assert!(source.contains("static KEY_4: tokengate::Rsa3072"));
    assert!(source.contains("static KEY_5: tokengate::Rsa4096"));
    assert!(source.contains("static KEY_6: tokengate::Rsa2048"));
}

/// RS384, RS512, PS256, PS384, PS512: minted with the sample RSA-2048 key, verified with its
/// JWK bound to the algorithm by `alg`, and refused by the same modulus bound to RS256 (the
/// JWK Set's key, no `alg`: RS256); `keys import` emits the algorithm's constructor.
#[test]
fn rsa_algorithms_bound_by_the_jwk_alg() {
    let dir = scratch("rsa-algs");
    let claims = r#"{"iss":"https://issuer.tokengate.test","aud":"door-17","exp":4102444800,"scope":"door:open"}"#;
    let jwks: serde_json::Value =
        serde_json::from_slice(&std::fs::read(root().join(data("keys/jwks.json"))).unwrap())
            .unwrap();
    let rsa2048 = &jwks["keys"][1];
    assert_eq!(rsa2048["kid"], "rs256-2048-test");
    for alg in ["RS384", "RS512", "PS256", "PS384", "PS512"] {
        let mut bound = rsa2048.clone();
        bound["alg"] = alg.into();
        let jwk = write(&dir, &format!("{alg}.jwk"), bound.to_string());
        let token = mint(&[
            "--alg",
            alg,
            "--key",
            &data("keys/rsa2048.pem"),
            "--kid",
            "rs256-2048-test",
            "--claims",
            claims,
        ]);
        let run = verify(&["--key", &jwk], &token, &["--require-scope", "door:open"]);
        assert_eq!(run.code, 0, "{alg}: {run:#?}");
        verify(&["--jwks", &data("keys/jwks.json")], &token, &[]).assert_rejected(&format!(
            "token alg {alg} does not match the key's algorithm RS256"
        ));
        let set = write(
            &dir,
            &format!("{alg}.jwks"),
            json!({ "keys": [bound] }).to_string(),
        );
        let run = cli(&["keys", "import", "--jwks", &set]);
        assert_eq!(run.code, 0, "{run:#?}");
        let constructor = format!("tokengate::Key::{}(&KEY_0)", alg.to_ascii_lowercase());
        assert!(run.stdout.contains(&constructor), "{alg}: {}", run.stdout);
    }
}

/// HS384 and HS512 test tokens: the tag is the HMAC of the signing input with the secret file's
/// exact bytes, checked here with RustCrypto's `hmac`, and by `verify` through the token's JWK.
#[test]
fn mint_hs384_and_hs512() {
    use hmac::{KeyInit, Mac};
    let dir = scratch("hmac-algs");
    let secret = [0x5au8; 64];
    let file = write(&dir, "hmac.secret", secret);
    let claims = r#"{"iss":"https://issuer.tokengate.test","aud":"door-17","exp":4102444800}"#;
    for alg in ["HS384", "HS512"] {
        let token = mint(&["--alg", alg, "--key", &file, "--claims", claims]);
        let (input, tag) = token.rsplit_once('.').unwrap();
        let tag = base64ct::Base64UrlUnpadded::decode_vec(tag).unwrap();
        let expected = if alg == "HS384" {
            let mut mac = <hmac::Hmac<sha2::Sha384> as KeyInit>::new_from_slice(&secret).unwrap();
            mac.update(input.as_bytes());
            mac.finalize().into_bytes().to_vec()
        } else {
            let mut mac = <hmac::Hmac<sha2::Sha512> as KeyInit>::new_from_slice(&secret).unwrap();
            mac.update(input.as_bytes());
            mac.finalize().into_bytes().to_vec()
        };
        assert_eq!(tag, expected, "{alg}");
        let header = cli(&["inspect", &token]).json()["header"].clone();
        assert_eq!(header, json!({"alg": alg, "typ": "JWT"}));
        // Its JWK (bound to its algorithm by `alg`) verifies it.
        let jwk = write(
            &dir,
            &format!("{alg}.jwk"),
            json!({"kty": "oct", "alg": alg, "k": base64ct::Base64UrlUnpadded::encode_string(&secret)})
                .to_string(),
        );
        let run = verify(&["--key", &jwk], &token, &[]);
        assert_eq!(run.code, 0, "{alg}: {run:#?}");
    }
    // A secret shorter than the hash: minted, with a warning that tokengate refuses it.
    let short = write(&dir, "short.secret", [0x5au8; 47]);
    let run = cli(&[
        "mint", "--alg", "HS384", "--key", &short, "--claims", claims,
    ]);
    assert_eq!(run.code, 0, "{run:#?}");
    assert!(
        run.stderr
            .contains("47-byte secret: tokengate rejects HS384 secrets under 48 bytes"),
        "{run:#?}"
    );
}

/// ES384: a P-384 key from a JWK and from a PEM public key is provisioned as `Es384Key`
/// (`keys import`), `mint --alg ES384` signs with a P-384 private key (PKCS#8 or SEC1) and
/// `verify` accepts the token with either form of the public key, and only as ES384.
#[test]
fn es384_import_mint_and_verify() {
    use p384::pkcs8::{EncodePrivateKey, EncodePublicKey, LineEnding};
    let dir = scratch("es384");
    let secret = p384::SecretKey::from_slice(&[0x42; 48]).unwrap();
    let point = secret.public_key().to_sec1_bytes();
    assert_eq!(point.len(), 97);
    let pkcs8 = write(
        &dir,
        "es384.pem",
        secret.to_pkcs8_pem(LineEnding::LF).unwrap().as_bytes(),
    );
    let sec1 = write(
        &dir,
        "es384.sec1.pem",
        secret.to_sec1_pem(LineEnding::LF).unwrap().as_bytes(),
    );
    let public = write(
        &dir,
        "es384.pub.pem",
        secret
            .public_key()
            .to_public_key_pem(LineEnding::LF)
            .unwrap(),
    );
    let b64 = |bytes: &[u8]| base64ct::Base64UrlUnpadded::encode_string(bytes);
    let jwk = json!({"kty": "EC", "crv": "P-384", "kid": "p384", "x": b64(&point[1..49]),
                     "y": b64(&point[49..])});
    let jwk_file = write(&dir, "es384.jwk", jwk.to_string());
    let set = write(&dir, "es384.jwks", json!({ "keys": [jwk] }).to_string());
    let claims = r#"{"iss":"https://issuer.tokengate.test","aud":"door-17","exp":4102444800,"scope":"door:open"}"#;
    for key in [&pkcs8, &sec1] {
        let token = mint(&[
            "--alg", "ES384", "--key", key, "--kid", "p384", "--claims", claims,
        ]);
        let inspected = cli(&["inspect", &token]).json();
        assert_eq!(
            inspected["header"],
            json!({"alg": "ES384", "typ": "JWT", "kid": "p384"})
        );
        for keys in [
            vec!["--key", jwk_file.as_str()],
            vec!["--jwks", set.as_str()],
            vec!["--key", public.as_str()],
        ] {
            let run = verify(&keys, &token, &["--require-scope", "door:open"]);
            assert_eq!(run.code, 0, "{keys:?}: {run:#?}");
        }
        // Not with the ES256 sample keys.
        let run = verify(&["--jwks", "tests/data/keys/jwks.json"], &token, &[]);
        assert_eq!(run.code, 1, "{run:#?}");
    }
    // An ES256 token for the ES384 key's kid, and an ES384 token for the ES256 key's.
    let es256 = mint(&[
        "--alg",
        "ES256",
        "--key",
        &data("keys/es256.pem"),
        "--kid",
        "p384",
        "--claims",
        claims,
    ]);
    verify(&["--key", &jwk_file], &es256, &[])
        .assert_rejected("token alg ES256 does not match the key's algorithm ES384");
    let es384 = mint(&[
        "--alg",
        "ES384",
        "--key",
        &pkcs8,
        "--kid",
        "es256-test",
        "--claims",
        claims,
    ]);
    verify(&["--jwks", "tests/data/keys/jwks.json"], &es384, &[])
        .assert_rejected("token alg ES384 does not match the key's algorithm ES256");
    // A P-256 private key is not an ES384 signing key, nor a P-384 one an ES256 one.
    cli(&[
        "mint",
        "--alg",
        "ES384",
        "--key",
        &data("keys/es256.pem"),
        "--claims",
        claims,
    ])
    .assert_usage("--alg ES384 needs a P-384 private key");
    cli(&[
        "mint", "--alg", "ES256", "--key", &pkcs8, "--claims", claims,
    ])
    .assert_usage("--alg ES256 needs a P-256 private key");
    // `keys import` provisions an `Es384Key`, from the JWK Set and from the PEM public key.
    for source in [["--jwks", set.as_str()], ["--pem", public.as_str()]] {
        let run = cli(&["keys", "import", source[0], source[1]]);
        assert_eq!(run.code, 0, "{run:#?}");
        assert!(
            run.stdout
                .contains("static KEY_0: tokengate::Es384Key = match tokengate::Es384Key::new(&["),
            "{}",
            run.stdout
        );
        assert!(
            run.stdout.contains("tokengate::Key::es384(&KEY_0)"),
            "{}",
            run.stdout
        );
    }
}

/// EdDSA end to end with the RFC 8037 key: `mint --alg EdDSA` (and `Ed25519`) from a PKCS#8
/// PEM, `verify` with the OKP JWK, a JWK Set, or the SPKI PEM, and `keys import` emitting an
/// `Ed25519Key`.
#[test]
fn eddsa_mint_verify_import() {
    let dir = scratch("eddsa");
    let claims = r#"{"iss":"https://issuer.tokengate.test","aud":"door-17","exp":4102444800,"scope":"door:open"}"#;
    let seed =
        base64ct::Base64UrlUnpadded::decode_vec("nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A")
            .unwrap();
    let x = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo";
    let der = |prefix: &[u8], tail: &[u8]| {
        let mut der = prefix.to_vec();
        der.extend_from_slice(tail);
        base64ct::Base64::encode_string(&der)
    };
    // RFC 8410 PKCS#8 and SPKI encodings of the RFC 8037 key pair.
    let private = der(
        &[
            0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22,
            0x04, 0x20,
        ],
        &seed,
    );
    let public = der(
        &[
            0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00,
        ],
        &base64ct::Base64UrlUnpadded::decode_vec(x).unwrap(),
    );
    let key = write(
        &dir,
        "ed25519.pem",
        format!("-----BEGIN PRIVATE KEY-----\n{private}\n-----END PRIVATE KEY-----\n"),
    );
    let pub_pem = write(
        &dir,
        "ed25519.pub.pem",
        format!("-----BEGIN PUBLIC KEY-----\n{public}\n-----END PUBLIC KEY-----\n"),
    );
    let okp = json!({"kty": "OKP", "crv": "Ed25519", "kid": "ed-1", "x": x});
    let jwk = write(&dir, "ed25519.jwk", okp.to_string());
    let jwks = write(&dir, "ed25519.jwks", json!({ "keys": [okp] }).to_string());
    for alg in ["EdDSA", "Ed25519"] {
        let token = mint(&[
            "--alg", alg, "--key", &key, "--kid", "ed-1", "--claims", claims,
        ]);
        let header = cli(&["inspect", &token]).json()["header"].clone();
        assert_eq!(header, json!({"alg": alg, "typ": "JWT", "kid": "ed-1"}));
        for keys in [["--key", &jwk], ["--jwks", &jwks], ["--key", &pub_pem]] {
            let run = verify(&keys, &token, &["--require-scope", "door:open"]);
            assert_eq!(run.code, 0, "{alg} {keys:?}: {run:#?}");
        }
        verify(&["--jwks", &data("keys/jwks.json")], &token, &[])
            .assert_rejected("no provisioned key has the token's kid");
    }
    // An ES256 key file is not an Ed25519 one.
    let run = cli(&[
        "mint",
        "--alg",
        "EdDSA",
        "--key",
        &data("keys/es256.pem"),
        "--claims",
        claims,
    ]);
    assert_eq!(run.code, 2, "{run:#?}");
    let run = cli(&["keys", "import", "--jwks", &jwks]);
    assert_eq!(run.code, 0, "{run:#?}");
    assert!(
        run.stdout
            .contains("static KEY_0: tokengate::Ed25519Key = match tokengate::Ed25519Key::new(&[")
            && run
                .stdout
                .contains("tokengate::Key::ed25519(&KEY_0).with_kid(\"ed-1\")"),
        "{}",
        run.stdout
    );
}

/// HS384 and HS512 secrets: `verify` takes them by their own flags and by a single `oct` JWK
/// whose `alg` names them, `keys import` provisions them as `Key::hs384` / `Key::hs512`, and a
/// secret is bound to its algorithm (an HS384 secret never verifies an HS512 token, nor the
/// same bytes given as HS256 an HS384 one).
#[test]
fn hs384_and_hs512_secrets_are_provisioned_by_their_algorithm() {
    let claims = r#"{"iss":"https://issuer.tokengate.test","aud":"door-17","exp":4102444800}"#;
    let dir = scratch("hs384-hs512");
    for (alg, file, flag) in [
        ("HS384", data("keys/hs384.secret"), "--hs384-secret-file"),
        ("HS512", data("keys/hs512.secret"), "--hs512-secret-file"),
    ] {
        let token = mint(&["--alg", alg, "--key", &file, "--claims", claims]);
        let run = verify(&[flag, &file], &token, &[]);
        assert_eq!(run.code, 0, "{alg}: {run:#?}");
        // As a single JWK bound by its `alg`.
        let raw = std::fs::read(root().join(&file)).unwrap();
        let k = base64ct::Base64UrlUnpadded::encode_string(&raw);
        let jwk = write(
            &dir,
            &format!("{alg}.jwk"),
            json!({"kty": "oct", "alg": alg, "k": k}).to_string(),
        );
        let run = verify(&["--key", &jwk], &token, &[]);
        assert_eq!(run.code, 0, "{alg} JWK: {run:#?}");
        // The same bytes as an HS256 secret: bound to HS256, so no key for this token.
        let run = verify(&["--hs256-secret-file", &file], &token, &[]);
        assert_eq!(run.code, 1, "{alg} as HS256: {run:#?}");
        assert_eq!(
            run.stderr,
            format!("tokengate: rejected: no provisioned key for alg {alg}\n")
        );
        // Provisioning for firmware.
        let run = cli(&["keys", "import", flag, &file]);
        assert_eq!(run.code, 0, "{alg} import: {run:#?}");
        let bits = &alg[2..];
        assert!(
            run.stdout.contains(&format!(
                "tokengate::Key::hs{bits}(match tokengate::Hs{bits}Key::new(&SECRET_0)"
            )),
            "{}",
            run.stdout
        );
    }
    // HS384 secret, HS512 token: no key for HS512.
    let token = mint(&[
        "--alg",
        "HS512",
        "--key",
        &data("keys/hs512.secret"),
        "--claims",
        claims,
    ]);
    let run = verify(
        &["--hs384-secret-file", &data("keys/hs384.secret")],
        &token,
        &[],
    );
    assert_eq!(run.code, 1, "{run:#?}");
    assert_eq!(
        run.stderr,
        "tokengate: rejected: no provisioned key for alg HS512\n"
    );
    // A 48-byte secret is too short for HS512.
    cli(&[
        "verify",
        "--hs512-secret-file",
        &data("keys/hs384.secret"),
        &token,
    ])
    .assert_usage("HS512 secret of 48 bytes is shorter than 64");
}
