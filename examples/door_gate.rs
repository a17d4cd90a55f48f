//! The job tokengate exists for, on the host: a door controller gets a command with a bearer
//! token and opens only for a valid token for this door that grants `door:open`.
//!
//! Keys are `static`s built at compile time from the bundled sample keys
//! (tests/data/keys/sample_keys.rs); tokens are the bundled PyJWT-minted samples plus a few bad
//! ones made from them. Run: `cargo run --example door_gate`.

use tokengate::{Buffers, Es256Key, Expected, Hs256Key, Key, Policy, Rsa2048, Rsa4096, Verifier};

include!("../tests/data/keys/sample_keys.rs");

static ES256: Es256Key = match Es256Key::new(&ES256_SEC1) {
    Ok(key) => key,
    Err(_) => panic!("ES256_SEC1 is not a P-256 point encoding"),
};
// The Montgomery constants of each RSA key are computed here, by the compiler.
static RSA2048: Rsa2048 = match Rsa2048::new(&RSA2048_N, 65537) {
    Ok(key) => key,
    Err(_) => panic!("bad RSA-2048 modulus"),
};
static RSA4096: Rsa4096 = match Rsa4096::new(&RSA4096_N, 65537) {
    Ok(key) => key,
    Err(_) => panic!("bad RSA-4096 modulus"),
};
static KEYS: [Key<'static>; 4] = [
    Key::es256(&ES256).with_kid(ES256_KID),
    Key::rs256(&RSA2048).with_kid(RSA2048_KID),
    Key::rs256(&RSA4096).with_kid(RSA4096_KID),
    match Hs256Key::new(&HS256_SECRET) {
        Ok(secret) => Key::hs256(secret).with_kid(HS256_KID),
        Err(_) => panic!("HS256 secret too short"),
    },
];
static GATE: Verifier<'static, 'static> = Verifier::new(
    &KEYS,
    Policy::new(
        Expected::Exactly("https://issuer.tokengate.test"),
        Expected::Exactly("door-17"),
    )
    .with_leeway(30)
    .with_scopes(&["door:open"]),
);

/// What the relay does.
fn command(name: &str, token: &str, now: u64) {
    let mut buffers: Buffers = Buffers::new();
    match GATE.verify(token, now, &mut buffers) {
        Ok(verified) => println!(
            "{name:<28} OPEN   ({} key {}, sub {})",
            verified.header().alg(),
            verified.header().kid().unwrap_or("-"),
            verified.claims().sub().unwrap_or("-"),
        ),
        Err(reason) => println!("{name:<28} DENIED ({reason})"),
    }
}

fn main() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/tokens");
    let read = |name: &str| match std::fs::read_to_string(format!("{dir}/{name}.jwt")) {
        Ok(token) => token.trim().to_owned(),
        Err(e) => {
            eprintln!("cannot read the bundled sample token {name}: {e}");
            std::process::exit(2);
        }
    };
    // The device's trusted clock: 2026-01-01T01:00:00Z for the samples.
    let now = 1_767_229_200;
    for name in ["es256", "rs256-2048", "rs256-4096", "hs256"] {
        command(name, &read(name), now);
    }
    let es = read("es256");
    command("es256 after it expired", &es, 4_102_444_800 + 60);
    command("es256 before it was issued", &es, 1_767_225_000);
    let mut tampered = es.clone();
    tampered.replace_range(es.len().saturating_sub(2).., "AA");
    command("es256 tampered signature", &tampered, now);
    command("rs256-3072 (not provisioned)", &read("rs256-3072"), now);
    command("garbage", "hello.world.!", now);
}
