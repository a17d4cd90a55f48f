/* The door gate in C: the Rust door firmware's command script (examples/firmware/gate/src/
 * script.rs: the same tokens, keys, clock and timeline) through tokengate's C API, on QEMU
 * mps2-an386. Standard output is compared with expected/thumbv7em-none-eabihf.txt by
 * scripts/firmware-check; standard error gets the measurements of docs/footprint.md (peak
 * stack and instructions per verification), which vary with the compilers.
 *
 * No heap, no printf: the library needs memcpy, memmove, memset and memcmp (newlib) and
 * libgcc's helpers, nothing else. */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "board.h"
#include "door_keys.h"
#include "tokengate.h"

/* Who the device is and who issues its tokens (the Rust door's gate/src/provisioned.rs). */
static const tokengate_str issuers[] = { TOKENGATE_STR("https://issuer.tokengate.test") };
static const tokengate_str audiences[] = { TOKENGATE_STR("door-17") };
/* open-door's scope: the only command of this door. */
static const tokengate_str open_door_scopes[] = { TOKENGATE_STR("door:open") };

/* Unexpired, from the issuer, for this device, granting door:open; each token accepted once
 * (by jti, or by its signed bytes without one); a verified iat moves the clock forward. */
static const tokengate_policy policy = {
    .issuers = issuers,
    .n_issuers = 1,
    .audiences = audiences,
    .n_audiences = 1,
    .scopes = open_door_scopes,
    .n_scopes = 1,
    .flags = TOKENGATE_POLICY_REPLAY_ID_SIGNING_INPUT | TOKENGATE_POLICY_IAT_AS_TIME,
};

/* The image's build time, 2026-01-01T01:00:00Z: the clock starts here (no RTC). */
#define BUILD_TIME 1767229200u
/* The tick counter runs at 1 kHz; command n arrives at n seconds. */
#define TICKS_PER_SECOND 1000u
#define HOLD_MS 2000u
/* Free stack the script must leave untouched at its peak (as the Rust door). */
#define STACK_MARGIN 1024u

#define TOKEN(name)                                                                            \
    extern const char name##_start[], name##_end[];
TOKEN(valid_es256)
TOKEN(valid_rs256_2048)
TOKEN(valid_hs256)
TOKEN(expired)
TOKEN(wrong_aud)
TOKEN(missing_scope)
TOKEN(bad_signature)
TOKEN(malformed)
TOKEN(deep)
TOKEN(short_lived)
TOKEN(later_hs256)
TOKEN(valid_eddsa)
TOKEN(valid_ps256_2048)
TOKEN(ps256_for_rs256_key)

struct step {
    const char *what;
    const char *start, *end;
};
#define STEP(what, name) { what, name##_start, name##_end }

static const struct step script[] = {
    STEP("valid ES256", valid_es256),
    STEP("valid RS256-2048", valid_rs256_2048),
    STEP("valid HS256", valid_hs256),
    STEP("the valid ES256 token again (replay)", valid_es256),
    STEP("expired (HS256)", expired),
    STEP("wrong aud door-18 (RS256-2048)", wrong_aud),
    STEP("scope door:status only (ES256)", missing_scope),
    STEP("bad signature (ES256)", bad_signature),
    STEP("malformed: two segments", malformed),
    STEP("claims nested 1100 levels deep (ES256)", deep),
    STEP("valid ES256, expires 30 min after build time", short_lived),
    STEP("valid HS256 issued 1 h after build time", later_hs256),
    STEP("the 30-min token, now that the clock moved", short_lived),
    STEP("valid EdDSA (Ed25519)", valid_eddsa),
    STEP("valid PS256-2048", valid_ps256_2048),
    STEP("PS256 naming the RS256 key's kid (alg confusion)", ps256_for_rs256_key),
};
#define SCRIPT_LEN (sizeof script / sizeof script[0])

/* The token's bytes without the file's trailing newline. */
static size_t token_len(const struct step *step)
{
    size_t len = (size_t)(step->end - step->start);
    while (len > 0 && (step->start[len - 1] == '\n' || step->start[len - 1] == '\r'))
        len--;
    return len;
}

/* One verification's memory, and the gate's state: statics, as firmware keeps them. */
static tokengate_buffers buffers;
static tokengate_claims claims;
static tokengate_clock clock;
static tokengate_replay_guard guard;

static const char *alg_name(uint32_t alg)
{
    switch (alg) {
    case TOKENGATE_ALG_ES256: return "ES256";
    case TOKENGATE_ALG_ES384: return "ES384";
    case TOKENGATE_ALG_RS256: return "RS256";
    case TOKENGATE_ALG_RS384: return "RS384";
    case TOKENGATE_ALG_RS512: return "RS512";
    case TOKENGATE_ALG_PS256: return "PS256";
    case TOKENGATE_ALG_PS384: return "PS384";
    case TOKENGATE_ALG_PS512: return "PS512";
    case TOKENGATE_ALG_HS256: return "HS256";
    case TOKENGATE_ALG_HS384: return "HS384";
    case TOKENGATE_ALG_HS512: return "HS512";
    case TOKENGATE_ALG_EDDSA: return "EdDSA";
    default: return "?";
    }
}

static void out(const char *s) { console_str(CONSOLE_OUT, s); }
static void out_u64(uint64_t v) { console_u64(CONSOLE_OUT, v); }
static void out_view(tokengate_str s)
{
    if (s.ptr == NULL)
        out("-");
    else
        console_write(CONSOLE_OUT, s.ptr, s.len);
}

/* The relay, for HOLD_MS. The board has no timer to wait on: the hold is logged, as the Rust
 * door's LoggedDelay does. */
static bool pulse_relay(void)
{
    if (!relay_set(true))
        return false;
    out("   relay on\n   hold ");
    out_u64(HOLD_MS);
    out(" ms\n");
    if (!relay_set(false))
        return false;
    out("   relay off\n");
    return true;
}

struct tally {
    unsigned granted, denied;
    bool relay_fault;
};

static void run_script(void *arg)
{
    struct tally *tally = arg;
    for (size_t i = 0; i < SCRIPT_LEN; i++) {
        const struct step *step = &script[i];
        uint64_t n = i + 1, ticks = n * TICKS_PER_SECOND, now = 0;
        (void)tokengate_clock_now(&clock, ticks, &now);
        out_u64(n);
        out(". open-door, ");
        out(step->what);
        out(" (clock ");
        out_u64(now);
        out(")\n");
        tokengate_status status = tokengate_gate_admit(
            door_keys, DOOR_KEYS_COUNT, &policy, &clock, &guard, ticks,
            (const uint8_t *)step->start, token_len(step), &buffers, &claims);
        if (status == TOKENGATE_STATUS_OK) {
            if (!pulse_relay()) {
                tally->relay_fault = true;
                return;
            }
            tally->granted++;
            out("   granted: ");
            out(alg_name(claims.alg));
            out(" key ");
            out_view(claims.kid);
            out(", sub ");
            out_view(claims.sub);
            out("\n");
        } else {
            tally->denied++;
            out("   denied: ");
            out(tokengate_status_str(status));
            out("\n");
        }
    }
}

/* --- measurements (standard error) ------------------------------------------------------ */

struct verify_call {
    const struct step *step;
    tokengate_status status;
};

static void verify_once(void *arg)
{
    struct verify_call *call = arg;
    call->status = tokengate_verify(door_keys, DOOR_KEYS_COUNT, &policy, BUILD_TIME + 1,
                                    (const uint8_t *)call->step->start, token_len(call->step),
                                    &buffers, &claims);
}

/* Instructions and peak stack of one tokengate_verify with the door's five keys, per valid
 * token of the script: "measure ALG instructions N stack N". Fails the run if one is refused. */
static bool measure(void)
{
    static const size_t valid[] = { 0, 1, 2, 13, 14 };
    bool ok = true;
    for (size_t i = 0; i < sizeof valid / sizeof valid[0]; i++) {
        struct verify_call call = { &script[valid[i]], -1 };
        uint32_t start = counter_start();
        verify_once(&call);
        uint64_t instructions = counter_stop(start);
        tokengate_status first = call.status;
        size_t free = 0, peak = stack_peak(verify_once, &call, &free);
        if (first != TOKENGATE_STATUS_OK || call.status != TOKENGATE_STATUS_OK) {
            console_str(CONSOLE_ERR, "measure: a valid token was refused: ");
            console_str(CONSOLE_ERR, tokengate_status_str(first));
            console_str(CONSOLE_ERR, "\n");
            ok = false;
            continue;
        }
        console_str(CONSOLE_ERR, "measure ");
        console_str(CONSOLE_ERR, alg_name(claims.alg));
        console_str(CONSOLE_ERR, " instructions ");
        console_u64(CONSOLE_ERR, instructions);
        console_str(CONSOLE_ERR, " stack ");
        console_u64(CONSOLE_ERR, peak);
        console_str(CONSOLE_ERR, "\n");
    }
    return ok;
}

int main(void)
{
    console_open();
    out("tokengate door gate (C API) thumbv7em-none-eabihf on QEMU mps2-an386 (Cortex-M4F)\n");
    out("device door-17, issuer https://issuer.tokengate.test, built ");
    out_u64(BUILD_TIME);
    out(", ");
    out_u64(DOOR_KEYS_COUNT);
    out(" keys, buffers ");
    out_u64(sizeof buffers);
    out(" B\n");

    /* A bad key is found at boot, not at the first command. */
    for (size_t i = 0; i < DOOR_KEYS_COUNT; i++) {
        tokengate_status status = tokengate_key_check(&door_keys[i]);
        if (status != TOKENGATE_STATUS_OK) {
            out("key ");
            out_u64(i);
            out(": ");
            out(tokengate_status_str(status));
            out("\n");
            return 2;
        }
    }
    if (tokengate_clock_init(&clock, BUILD_TIME, 0, TICKS_PER_SECOND) != TOKENGATE_STATUS_OK ||
        tokengate_replay_guard_init(&guard) != TOKENGATE_STATUS_OK)
        return 2;

    struct tally tally = { 0, 0, false };
    size_t free = 0, peak = stack_peak(run_script, &tally, &free);
    if (tally.relay_fault) {
        out("script stopped: the relay did not read back\n");
        return 1;
    }
    out("script: ");
    out_u64(tally.granted);
    out(" granted, ");
    out_u64(tally.denied);
    out(" denied\n");
    console_str(CONSOLE_ERR, "measure script stack ");
    console_u64(CONSOLE_ERR, peak);
    console_str(CONSOLE_ERR, " free ");
    console_u64(CONSOLE_ERR, free);
    console_str(CONSOLE_ERR, "\n");
    int code = 0;
    if (peak + STACK_MARGIN > free) {
        out("stack: peak too close to the end of the free stack\n");
        code = 1;
    } else {
        out("stack: peak leaves at least 1024 B free\n");
    }
    if (!measure())
        code = 1;
    return code;
}
