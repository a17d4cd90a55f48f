/* The command script's tokens, the Rust door's own (examples/firmware/tokens/*.jwt), included
 * byte for byte: NAME_start .. NAME_end (the file's trailing newline is trimmed in door.c).
 * The build passes -I examples/firmware/tokens. */
    .section .rodata.tokens, "a"

    .macro token name, file
    .global \name\()_start, \name\()_end
\name\()_start:
    .incbin "\file"
\name\()_end:
    .endm

    token valid_es256, "valid-es256.jwt"
    token valid_rs256_2048, "valid-rs256-2048.jwt"
    token valid_hs256, "valid-hs256.jwt"
    token expired, "expired.jwt"
    token wrong_aud, "wrong-aud.jwt"
    token missing_scope, "missing-scope.jwt"
    token bad_signature, "bad-signature.jwt"
    token malformed, "malformed.jwt"
    token deep, "deep.jwt"
    token short_lived, "short-lived.jwt"
    token later_hs256, "later-hs256.jwt"
    token valid_eddsa, "valid-eddsa.jwt"
    token valid_ps256_2048, "valid-ps256-2048.jwt"
    token ps256_for_rs256_key, "ps256-for-rs256-key.jwt"
