//! `tokengate`: the host tool of the tokengate library.
//!
//! - `verify` checks a token with the library itself (the code the device runs) and prints an
//!   RFC 7662-style introspection object;
//! - `inspect` decodes a token without verifying it;
//! - `keys import` turns published keys (JWKS, PEM, X.509, URL) into Rust source for firmware;
//! - `mint` signs test tokens for bring-up.
//!
//! Exit codes (a stable interface): 0 valid / done, 1 token rejected or undecodable, 2 usage
//! error or unusable key file.

use std::ffi::OsString;
use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{ArgMatches, Args, CommandFactory, FromArgMatches, Parser, Subcommand};

mod fetch;
mod import;
mod import_c;
mod inspect;
mod keys;
mod mint;
mod rotate;
mod verify;

/// Largest token read from standard input. Far beyond what any buffer accepts, so the library
/// still decides (and names) the size limit; this only stops an endless input.
const MAX_TOKEN_INPUT: u64 = 16 << 20;

/// Largest key, claims or header file read.
const MAX_FILE: u64 = 16 << 20;

/// How a command failed, which decides the exit code.
#[derive(Debug)]
pub(crate) enum Fail {
    /// Exit 1: the token was rejected. The reason is one line.
    Rejected(String),
    /// Exit 1 from `inspect`: the token could not be decoded. The reason is one line.
    Undecodable(String),
    /// Exit 2: a usage error or an unreadable / unusable key file.
    Usage(String),
}

pub(crate) type Outcome<T = ()> = Result<T, Fail>;

/// Shorthand for an exit-2 failure.
pub(crate) fn usage<T>(message: impl Into<String>) -> Outcome<T> {
    Err(Fail::Usage(message.into()))
}

/// Writes to stdout; a closed pipe is not a panic.
pub(crate) fn out(text: &str) {
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(text.as_bytes());
    let _ = stdout.flush();
}

/// One line on stderr, prefixed with the program name; a closed stderr is not a panic.
pub(crate) fn note(line: &str) {
    let _ = writeln!(std::io::stderr().lock(), "tokengate: {}", one_line(line));
}

/// A warning on stderr.
pub(crate) fn warn(line: &str) {
    note(&format!("warning: {line}"));
}

/// Collapses a message onto one line, so every reason is exactly one line of stderr.
pub(crate) fn one_line(text: &str) -> String {
    text.split(['\n', '\r'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Verify JWT bearer tokens with the tokengate library, inspect them, provision keys for
/// firmware and mint test tokens.
#[derive(Parser, Debug)]
#[command(name = "tokengate", version, propagate_version = true)]
#[command(
    after_help = "Exit codes: 0 valid (or done), 1 token rejected or not decodable, \
                        2 usage error or unusable key file."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Verify a token exactly as the device does: prints an introspection object.
    ///
    /// Exit 0 with `{"active": true, ...claims}` on stdout when the token is valid; exit 1 with
    /// `{"active": false}` on stdout and the reason on stderr when it is rejected; exit 2 for a
    /// usage error or an unusable key file.
    Verify(VerifyArgs),
    /// Decode a token WITHOUT verifying it: header, claims, and times as UTC dates.
    Inspect(InspectArgs),
    /// Provision keys for firmware.
    #[command(subcommand)]
    Keys(KeysCommand),
    /// Sign a test token (bring-up and examples only).
    Mint(MintArgs),
}

#[derive(Subcommand, Debug)]
enum KeysCommand {
    /// Turn published keys into Rust source that defines the provisioned key set, for
    /// `include!` in firmware.
    ///
    /// Sources are read in command-line order and may be mixed and repeated. Keys that cannot be
    /// provisioned are skipped, each reported with its reason on stderr and in the output.
    Import(ImportArgs),
    /// Sign a key-set token for devices with a `tokengate::KeyRing`: the keys, read as for
    /// `import`, as a versioned JWK Set (`{"ver": N, "keys": [...]}`, header `typ`
    /// `tokengate-keyset+jwt`), signed with a rotation key the devices have provisioned.
    /// Prints the token on stdout.
    Rotate(RotateArgs),
}

#[derive(Args, Debug)]
pub(crate) struct VerifyArgs {
    /// The compact JWT, or `-` to read it from standard input (surrounding whitespace is
    /// ignored).
    #[arg(value_name = "TOKEN")]
    pub(crate) token: OsString,
    /// A JWK Set (JSON). Entries that cannot be used are skipped with a warning. Repeatable.
    #[arg(long, value_name = "FILE")]
    pub(crate) jwks: Vec<PathBuf>,
    /// One public key: PEM SubjectPublicKeyInfo, PEM X.509 certificate, or a single JWK.
    /// Repeatable.
    #[arg(long, value_name = "FILE")]
    pub(crate) key: Vec<PathBuf>,
    /// An HS256 shared secret: the file's exact bytes (at least 32). Repeatable.
    #[arg(long, value_name = "FILE")]
    pub(crate) hs256_secret_file: Vec<PathBuf>,
    /// An HS384 shared secret: the file's exact bytes (at least 48). Repeatable.
    #[arg(long, value_name = "FILE")]
    pub(crate) hs384_secret_file: Vec<PathBuf>,
    /// An HS512 shared secret: the file's exact bytes (at least 64). Repeatable.
    #[arg(long, value_name = "FILE")]
    pub(crate) hs512_secret_file: Vec<PathBuf>,
    /// Required issuer (`iss`), compared exactly. Repeat to accept any of several. Without it
    /// the issuer is not checked.
    #[arg(long, value_name = "ISS")]
    pub(crate) iss: Vec<String>,
    /// Required audience (`aud` must contain it). Repeat to accept any of several. Without it
    /// the audience is not checked.
    #[arg(long, value_name = "AUD")]
    pub(crate) aud: Vec<String>,
    /// The clock, in Unix seconds. Default: the system clock.
    #[arg(long, value_name = "UNIX_SECONDS")]
    pub(crate) now: Option<u64>,
    /// Allowed clock skew in seconds for `exp`, `nbf` and `iat`.
    #[arg(long, value_name = "SECONDS", default_value_t = 0)]
    pub(crate) leeway: u64,
    /// A scope the token must grant (in `scope` or `scp`). Repeatable: all are required.
    #[arg(long, value_name = "SCOPE")]
    pub(crate) require_scope: Vec<String>,
    /// Reject tokens issued (`iat`) more than this many seconds ago; requires `iat`.
    #[arg(long, value_name = "SECONDS")]
    pub(crate) max_age: Option<u64>,
    /// Required header `typ` (e.g. `at+jwt`), compared case-insensitively.
    #[arg(long, value_name = "TYP")]
    pub(crate) typ: Option<String>,
}

#[derive(Args, Debug)]
pub(crate) struct InspectArgs {
    /// The compact JWT, or `-` to read it from standard input.
    #[arg(value_name = "TOKEN")]
    pub(crate) token: OsString,
}

/// Where `keys import` and `keys rotate` read keys from.
#[derive(Args, Debug)]
pub(crate) struct KeySources {
    /// A JWK Set file (JSON).
    #[arg(long, value_name = "FILE")]
    pub(crate) jwks: Vec<PathBuf>,
    /// A PEM public key (SubjectPublicKeyInfo or PKCS#1), or a PEM certificate.
    #[arg(long, value_name = "FILE")]
    pub(crate) pem: Vec<PathBuf>,
    /// A PEM X.509 certificate: its public key is provisioned (the certificate itself is not
    /// validated).
    #[arg(long, value_name = "FILE")]
    pub(crate) cert: Vec<PathBuf>,
    /// Fetch a JWK Set, a single JWK or a PEM key / certificate over HTTP(S).
    #[arg(long, value_name = "URL")]
    pub(crate) url: Vec<String>,
    /// An HS256 shared secret (the file's exact bytes). Never taken from a key set: this flag
    /// is the only way a secret is provisioned.
    #[arg(long, value_name = "FILE")]
    pub(crate) hs256_secret_file: Vec<PathBuf>,
    /// An HS384 shared secret (the file's exact bytes, at least 48).
    #[arg(long, value_name = "FILE")]
    pub(crate) hs384_secret_file: Vec<PathBuf>,
    /// An HS512 shared secret (the file's exact bytes, at least 64).
    #[arg(long, value_name = "FILE")]
    pub(crate) hs512_secret_file: Vec<PathBuf>,
}

#[derive(Args, Debug)]
pub(crate) struct ImportArgs {
    #[command(flatten)]
    pub(crate) sources: KeySources,
    /// Write the Rust source here instead of standard output. With `--format c`, the C source
    /// (`FILE`, e.g. `keys.c`) and its header beside it (`keys.h`); required there.
    #[arg(long, value_name = "FILE")]
    pub(crate) out: Option<PathBuf>,
    /// Provision ES256 keys with a precomputed table of their multiples
    /// (`tokengate::Es256KeyTable`, 2 KiB of flash per key, computed from the point by the
    /// compiler): about half the instructions per verification on a microcontroller.
    #[arg(long)]
    pub(crate) es256_table: bool,
    /// What to generate: Rust statics for `include!`, or a C header/source pair of
    /// `const tokengate_key` data for the C API (`capi/include/tokengate.h`).
    #[arg(long, value_enum, default_value_t = ImportFormat::Rust)]
    pub(crate) format: ImportFormat,
    /// With `--format c`: the name of the key array (its count is `NAME_COUNT`, upper case).
    #[arg(long, value_name = "NAME", default_value = "tokengate_keys")]
    pub(crate) c_name: String,
}

/// The language `keys import` writes.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ImportFormat {
    /// Rust statics (`tokengate::Key`).
    Rust,
    /// A C header and source (`tokengate_key`).
    C,
}

#[derive(Args, Debug)]
pub(crate) struct RotateArgs {
    #[command(flatten)]
    pub(crate) sources: KeySources,
    /// The key set's version: devices accept only versions above the one they have.
    #[arg(long, value_name = "N")]
    pub(crate) set_version: u64,
    /// The rotation key's algorithm.
    #[arg(long, value_enum)]
    pub(crate) alg: mint::MintAlg,
    /// The rotation private key (PEM), or secret for HS256.
    #[arg(long, value_name = "PRIVATE_KEY_FILE")]
    pub(crate) signing_key: PathBuf,
    /// The rotation key's `kid`, for the header.
    #[arg(long, value_name = "KID")]
    pub(crate) kid: Option<String>,
    /// Bind every key of the set to this issuer (`iss` in each JWK): the device then accepts
    /// a token verified by one of these keys only if it claims this issuer.
    #[arg(long, value_name = "ISS")]
    pub(crate) issuer: Option<String>,
}

#[derive(Args, Debug)]
pub(crate) struct MintArgs {
    /// The signature algorithm.
    #[arg(long, value_enum)]
    pub(crate) alg: mint::MintAlg,
    /// The private key: PKCS#8 or SEC1 PEM (ES256), PKCS#8 or PKCS#1 PEM (RS256, RS384,
    /// RS512, PS256, PS384, PS512), PKCS#8 PEM (EdDSA, Ed25519), or the raw secret bytes
    /// (HS256, HS384, HS512).
    #[arg(long, value_name = "PRIVATE_KEY_FILE")]
    pub(crate) key: PathBuf,
    /// The claims: a JSON object, used byte for byte as the payload (so escapes such as `\/`
    /// survive). `@FILE` reads it from a file.
    #[arg(long, value_name = "JSON")]
    pub(crate) claims: String,
    /// The header's `kid`.
    #[arg(long, value_name = "KID")]
    pub(crate) kid: Option<String>,
    /// Extra header members, a JSON object (e.g. `{"typ":"at+jwt"}`); `alg` and `kid` come
    /// from --alg and --kid.
    #[arg(long, value_name = "JSON")]
    pub(crate) header: Option<String>,
}

fn main() -> ExitCode {
    let matches = match Cli::command().try_get_matches() {
        Ok(matches) => matches,
        // Usage errors exit 2, --help and --version exit 0, as clap decides.
        Err(e) => e.exit(),
    };
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    let result = match cli.command {
        Command::Verify(args) => verify::run(&args),
        Command::Inspect(args) => inspect::run(&args),
        Command::Keys(KeysCommand::Import(args)) => {
            let order = source_order(&matches, "import");
            import::run(&args, &order)
        }
        Command::Keys(KeysCommand::Rotate(args)) => {
            let order = source_order(&matches, "rotate");
            rotate::check(&args).and_then(|()| rotate::run(&args, &order))
        }
        Command::Mint(args) => mint::run(&args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Fail::Rejected(reason)) => {
            note(&format!("rejected: {reason}"));
            ExitCode::from(1)
        }
        Err(Fail::Undecodable(reason)) => {
            note(&format!("cannot decode: {reason}"));
            ExitCode::from(1)
        }
        Err(Fail::Usage(message)) => {
            note(&format!("error: {message}"));
            ExitCode::from(2)
        }
    }
}

/// The key sources of `keys SUBCOMMAND` in command-line order, as (flag id, index among that
/// flag's values).
fn source_order(matches: &ArgMatches, subcommand: &str) -> Vec<(&'static str, usize)> {
    let Some(import) = matches
        .subcommand_matches("keys")
        .and_then(|keys| keys.subcommand_matches(subcommand))
    else {
        return Vec::new();
    };
    let mut order = Vec::new();
    for id in [
        "jwks",
        "pem",
        "cert",
        "url",
        "hs256_secret_file",
        "hs384_secret_file",
        "hs512_secret_file",
    ] {
        if let Some(indices) = import.indices_of(id) {
            order.extend(indices.enumerate().map(|(n, position)| (position, id, n)));
        }
    }
    order.sort_unstable();
    order.into_iter().map(|(_, id, n)| (id, n)).collect()
}

/// Reads a file for a flag, with a clear message when it cannot be read.
pub(crate) fn read_file(path: &std::path::Path, what: &str) -> Outcome<Vec<u8>> {
    let file = std::fs::File::open(path)
        .map_err(|e| Fail::Usage(format!("cannot read {what} {}: {e}", path.display())))?;
    let mut bytes = Vec::new();
    file.take(MAX_FILE.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| Fail::Usage(format!("cannot read {what} {}: {e}", path.display())))?;
    if u64::try_from(bytes.len()).unwrap_or(u64::MAX) > MAX_FILE {
        return usage(format!(
            "{what} {} is larger than {} MiB",
            path.display(),
            MAX_FILE >> 20
        ));
    }
    Ok(bytes)
}

/// The token bytes: the argument itself, or standard input for `-`; surrounding ASCII
/// whitespace removed (a trailing newline from a file or `echo` is not part of a token).
pub(crate) fn read_token(arg: &OsString) -> Outcome<Vec<u8>> {
    let bytes = if arg == "-" {
        let mut bytes = Vec::new();
        std::io::stdin()
            .lock()
            .take(MAX_TOKEN_INPUT.saturating_add(1))
            .read_to_end(&mut bytes)
            .map_err(|e| Fail::Usage(format!("cannot read the token from standard input: {e}")))?;
        if u64::try_from(bytes.len()).unwrap_or(u64::MAX) > MAX_TOKEN_INPUT {
            return Err(Fail::Rejected(format!(
                "token on standard input is larger than {} MiB",
                MAX_TOKEN_INPUT >> 20
            )));
        }
        bytes
    } else {
        arg.as_encoded_bytes().to_vec()
    };
    Ok(bytes.trim_ascii().to_vec())
}

#[cfg(test)]
mod tests {
    use super::Cli;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}
