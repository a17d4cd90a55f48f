//! `keys import` output as firmware uses it: the committed golden file is exactly what the
//! import prints, and it compiles against the library (`include!` below) and verifies the
//! sample tokens. `--url` fetches from a server this test runs on loopback.

// Test code: a failed expectation is a panic with a message.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;

use common::*;
use serde_json::json;
use tokengate::{Buffers, Expected, Policy, Verifier};

/// The golden file, compiled here as firmware would: `include!` in a module.
mod provisioned {
    include!("data/sample_keys.rs");
}

const GOLDEN: &str = "cli/tests/data/sample_keys.rs";

/// The same JWKS imported with `--es256-table`: the ES256 key comes with its table.
mod provisioned_with_table {
    include!("data/sample_keys_table.rs");
}

const GOLDEN_TABLE: &str = "cli/tests/data/sample_keys_table.rs";
const IMPORT_TABLE: [&str; 5] = [
    "keys",
    "import",
    "--jwks",
    "tests/data/keys/jwks.json",
    "--es256-table",
];

/// The import that produced the golden file (run from the repository root).
const IMPORT: [&str; 8] = [
    "keys",
    "import",
    "--jwks",
    "tests/data/keys/jwks.json",
    "--cert",
    "tests/data/keys/rsa2048.cert.pem",
    "--hs256-secret-file",
    "tests/data/keys/hs256.secret",
];

#[test]
fn import_output_is_the_golden_file() {
    check_golden(&IMPORT, GOLDEN);
    check_golden(&IMPORT_TABLE, GOLDEN_TABLE);
}

fn check_golden(import: &[&str], golden_path: &str) {
    let run = cli(import);
    assert_eq!(run.code, 0, "{run:#?}");
    assert!(run.stderr.is_empty(), "{run:#?}");
    assert_golden(
        &run.stdout,
        golden_path,
        &format!("`tokengate {}`", import.join(" ")),
    );
}

/// Asserts that `generated` is the committed file `golden_path` (from the repository root);
/// with `TOKENGATE_BLESS` set, writes it there first. `what` names the generator.
fn assert_golden(generated: &str, golden_path: &str, what: &str) {
    let path = root().join(golden_path);
    if std::env::var_os("TOKENGATE_BLESS").is_some() {
        std::fs::write(&path, generated).unwrap();
    }
    let golden = std::fs::read_to_string(&path).unwrap();
    assert!(
        generated == golden,
        "{what} no longer writes {golden_path}; if the change is intended, re-run this test \
         with TOKENGATE_BLESS=1 and review the diff"
    );
}

#[test]
fn imported_table_keys_validate_and_verify() {
    let keys = &provisioned_with_table::KEYS;
    assert_eq!(keys.len(), 4);
    for key in keys {
        key.validate().unwrap();
    }
    assert_eq!(keys[0].alg(), tokengate::Alg::Es256);
    let verifier = Verifier::new(
        keys,
        Policy::new(Expected::Exactly(ISS), Expected::Exactly(AUD)).with_scopes(&["door:open"]),
    );
    let mut buffers = Box::new(Buffers::<2048>::new());
    for name in ["es256", "rs256-2048", "rs256-3072", "rs256-4096"] {
        let verified = verifier
            .verify(token(name), NOW, &mut buffers)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(verified.claims().sub(), Some("device-operator"), "{name}");
    }
    // A tampered ES256 signature is refused through the table.
    let mut tampered = token("es256").to_owned();
    let last = tampered.pop().unwrap();
    tampered.push(if last == 'A' { 'Q' } else { 'A' });
    assert_eq!(
        verifier.verify(&tampered, NOW, &mut buffers).map(|_| ()),
        Err(tokengate::Error::BadSignature)
    );
}

#[test]
fn imported_keys_compile_and_verify_the_sample_tokens() {
    let keys = &provisioned::KEYS;
    assert_eq!(keys.len(), 6);
    for key in keys {
        key.validate().unwrap();
    }
    let kids: Vec<Option<&str>> = keys.iter().map(|k| k.kid()).collect();
    assert_eq!(
        kids,
        [
            Some("es256-test"),
            Some("rs256-2048-test"),
            Some("rs256-3072-test"),
            Some("rs256-4096-test"),
            None,
            None
        ]
    );
    let bits: Vec<Option<u32>> = keys.iter().map(|k| k.rsa_bits()).collect();
    assert_eq!(
        bits,
        [None, Some(2048), Some(3072), Some(4096), Some(2048), None]
    );

    let verifier = Verifier::new(
        keys,
        Policy::new(Expected::Exactly(ISS), Expected::Exactly(AUD)).with_scopes(&["door:open"]),
    );
    let mut buffers = Box::new(Buffers::<2048>::new());
    for name in ["es256", "rs256-2048", "rs256-3072", "rs256-4096", "hs256"] {
        let token = token(name);
        let verified = verifier
            .verify(&token, NOW, &mut buffers)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(verified.claims().sub(), Some("device-operator"), "{name}");
    }
    // A token without kid reaches the certificate's key (and the secret) too.
    let cases: serde_json::Value = serde_json::from_slice(
        &std::fs::read(root().join("tests/data/pyjwt_tokens.json")).unwrap(),
    )
    .unwrap();
    let mut without_kid = 0;
    for case in cases["cases"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        if name.ends_with("without kid") {
            let token = case["token"].as_str().unwrap();
            verifier
                .verify(token, NOW, &mut buffers)
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            without_kid += 1;
        }
    }
    assert_eq!(without_kid, 5);
    // And the policy holds: a wrong audience is refused by the provisioned set as by the CLI.
    let strict = Verifier::new(
        keys,
        Policy::new(Expected::Exactly(ISS), Expected::Exactly("door-18")),
    );
    assert_eq!(
        strict
            .verify(token("es256"), NOW, &mut buffers)
            .unwrap_err(),
        tokengate::Error::WrongAudience
    );
}

/// Serves `routes` (path, body) over HTTP/1.1 on 127.0.0.1 for `requests` connections, then
/// stops. Unknown paths get a 404.
fn serve(
    routes: Vec<(&'static str, Vec<u8>)>,
    requests: usize,
) -> (String, std::thread::JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let handle = std::thread::spawn(move || {
        for stream in listener.incoming().take(requests) {
            let Ok(mut stream) = stream else { continue };
            let _ = stream.set_read_timeout(Some(std::time::Duration::from_secs(10)));
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut request_line = String::new();
            if reader.read_line(&mut request_line).is_err() {
                continue;
            }
            // Skip the headers.
            loop {
                let mut header = String::new();
                match reader.read_line(&mut header) {
                    Ok(0) | Err(_) => break,
                    Ok(_) if header == "\r\n" || header == "\n" => break,
                    Ok(_) => {}
                }
            }
            let path = request_line.split_whitespace().nth(1).unwrap_or("");
            let (status, body) = match routes.iter().find(|(p, _)| *p == path) {
                Some((_, body)) => ("200 OK", body.clone()),
                None => ("404 Not Found", b"not found".to_vec()),
            };
            let head = format!(
                "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(&body);
        }
    });
    (base, handle)
}

#[test]
fn import_from_urls_as_issuers_publish() {
    let read = |p: &str| std::fs::read(root().join(data(p))).unwrap();
    let sample: serde_json::Value = serde_json::from_slice(&read("keys/jwks.json")).unwrap();
    let spooky_jwks = json!({"keys": [sample["keys"][0]]})
        .to_string()
        .into_bytes();
    let (base, server) = serve(
        vec![
            // Spooky Services' JWKS and OSpike's PEM, at the paths they publish them.
            ("/oidc/.well-known/jwks.json", spooky_jwks),
            ("/.well-known/publickey.pem", read("keys/rsa2048.pub.pem")),
            (
                "/.well-known/certificate.pem",
                read("keys/rsa2048.cert.pem"),
            ),
            ("/garbage", b"\x00\x01 not a key".to_vec()),
        ],
        5,
    );
    let jwks_url = format!("{base}/oidc/.well-known/jwks.json");
    let pem_url = format!("{base}/.well-known/publickey.pem");
    let cert_url = format!("{base}/.well-known/certificate.pem");
    let run = cli(&[
        "keys", "import", "--url", &jwks_url, "--url", &pem_url, "--url", &cert_url,
    ]);
    assert_eq!(run.code, 0, "{run:#?}");
    assert!(run.stderr.is_empty(), "{run:#?}");
    assert!(
        run.stdout.contains(&format!("//   --url \"{jwks_url}\"")),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains(&format!(
        "//   [0] ES256 \"es256-test\" P-256 from {jwks_url} keys[0] (kid \"es256-test\")"
    )));
    assert!(run.stdout.contains(&format!(
        "//   [1] RS256 (no kid) RSA-2048 e=65537 from {pem_url}"
    )));
    assert!(run.stdout.contains(&format!(
        "//   [2] RS256 (no kid) RSA-2048 e=65537 from {cert_url}"
    )));
    // The same material as from the files.
    let from_files = cli(&[
        "keys",
        "import",
        "--jwks",
        &write(
            &scratch("url"),
            "jwks.json",
            json!({"keys": [sample["keys"][0]]}).to_string(),
        ),
        "--pem",
        &data("keys/rsa2048.pub.pem"),
        "--cert",
        &data("keys/rsa2048.cert.pem"),
    ]);
    let body = |source: &str| {
        source
            .lines()
            .filter(|l| !l.starts_with("//"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(body(&run.stdout), body(&from_files.stdout));

    // A missing path and a body that is no key: exit 2 with the reason.
    cli(&["keys", "import", "--url", &format!("{base}/missing")]).assert_usage("HTTP status 404");
    cli(&["keys", "import", "--url", &format!("{base}/garbage")])
        .assert_usage("the response is neither JSON (a JWK Set or JWK) nor PEM");
    server.join().unwrap();

    // Nothing listening: a network error, exit 2.
    let closed = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = closed.local_addr().unwrap();
    drop(closed);
    let run = cli(&[
        "keys",
        "import",
        "--url",
        &format!("http://{addr}/jwks.json"),
    ]);
    run.assert_usage(&format!("--url http://{addr}/jwks.json: "));
    run.assert_one_stderr_line();
}

/// `keys import --format c` writes the C door firmware's keys (capi/examples/door-firmware:
/// the Rust door's five keys, from its JWK Set and the HS256 secret), as committed: the door that
/// scripts/firmware-check runs on QEMU is built from them.
#[test]
fn c_import_output_is_the_c_door_keys() {
    let dir = scratch("import-c-door");
    let out = dir.join("door_keys.c");
    let out_arg = out.to_str().unwrap().to_owned();
    let run = cli(&[
        "keys",
        "import",
        "--jwks",
        "capi/examples/door-firmware/door.jwks.json",
        "--hs256-secret-file",
        "tests/data/keys/hs256.secret",
        "--format",
        "c",
        "--c-name",
        "door_keys",
        "--out",
        &out_arg,
    ]);
    assert_eq!(run.code, 0, "{run:#?}");
    assert!(run.stderr.contains("wrote 5 keys to"), "{run:#?}");
    for name in ["door_keys.h", "door_keys.c"] {
        let generated = std::fs::read_to_string(dir.join(name)).unwrap();
        assert_golden(
            &generated,
            &format!("capi/examples/door-firmware/{name}"),
            "`keys import --format c`",
        );
    }
    let source = std::fs::read_to_string(dir.join("door_keys.c")).unwrap();
    for (alg, kid) in [
        ("ES256", "es256-test"),
        ("RS256", "rs256-2048-test"),
        ("EDDSA", "ed25519-test"),
        ("PS256", "ps256-2048-test"),
    ] {
        assert!(
            source.contains(&format!(".alg = TOKENGATE_ALG_{alg},"))
                && source.contains(&format!(".kid = TOKENGATE_STR(\"{kid}\"),")),
            "{alg} {kid}"
        );
    }
    assert_eq!(source.matches(".alg = TOKENGATE_ALG_HS256,").count(), 1);
}

/// `keys import --format c` with the golden import's sources writes the C header and source the
/// C API's tests compile (capi/tests/c/keys.h, keys.c: scripts/c-check verifies the sample tokens
/// with them under ASan and UBSan).
#[test]
fn c_import_output_is_the_c_tests_keys() {
    let dir = scratch("import-c");
    let out = dir.join("keys.c");
    let mut import: Vec<&str> = IMPORT.to_vec();
    let out_arg = out.to_str().unwrap().to_owned();
    import.extend(["--format", "c", "--out", &out_arg]);
    let run = cli(&import);
    assert_eq!(run.code, 0, "{run:#?}");
    assert!(run.stdout.is_empty(), "{run:#?}");
    assert!(run.stderr.contains("wrote 6 keys to"), "{run:#?}");
    for name in ["keys.h", "keys.c"] {
        let generated = std::fs::read_to_string(dir.join(name)).unwrap();
        assert_golden(
            &generated,
            &format!("capi/tests/c/{name}"),
            "`keys import --format c`",
        );
    }
    let header = std::fs::read_to_string(dir.join("keys.h")).unwrap();
    assert!(header.contains("#define TOKENGATE_KEYS_COUNT 6"));
    assert!(header.contains("extern const tokengate_key tokengate_keys[TOKENGATE_KEYS_COUNT];"));
    let source = std::fs::read_to_string(dir.join("keys.c")).unwrap();
    assert!(source.contains(".kid = TOKENGATE_STR(\"es256-test\"),"));
    assert_eq!(source.matches(".alg = TOKENGATE_ALG_RS256,").count(), 4);
    assert_eq!(source.matches(".rsa_exponent = 65537,").count(), 4);

    // A chosen name, and the mistakes: no --out, a header as --out, a name that is not an
    // identifier, the Rust-only table.
    let named = dir.join("door_keys.c");
    let named_arg = named.to_str().unwrap().to_owned();
    let run = cli(&[
        "keys",
        "import",
        "--jwks",
        "tests/data/keys/jwks.json",
        "--format",
        "c",
        "--out",
        &named_arg,
        "--c-name",
        "door_keys",
    ]);
    assert_eq!(run.code, 0, "{run:#?}");
    let header = std::fs::read_to_string(dir.join("door_keys.h")).unwrap();
    assert!(header.contains("#ifndef DOOR_KEYS_H"));
    assert!(header.contains("extern const tokengate_key door_keys[DOOR_KEYS_COUNT];"));
    let jwks = [
        "keys",
        "import",
        "--jwks",
        "tests/data/keys/jwks.json",
        "--format",
        "c",
    ];
    cli(&jwks).assert_usage("--out FILE.c");
    let h = dir.join("keys.h").to_str().unwrap().to_owned();
    cli(&[&jwks[..], &["--out", &h]].concat()).assert_usage("FILE.c");
    cli(&[&jwks[..], &["--out", &out_arg, "--c-name", "door-keys"]].concat())
        .assert_usage("not a C identifier");
    cli(&[&jwks[..], &["--out", &out_arg, "--es256-table"]].concat()).assert_usage("--es256-table");
}
