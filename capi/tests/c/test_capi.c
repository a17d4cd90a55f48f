/*
 * Host tests of the C API, built by scripts/c-check with -fsanitize=address,undefined: the
 * sample tokens with the keys `tokengate keys import --format c` generated (keys.c, keys.h), the
 * attack tokens of attack_tokens.h, and bad calls (NULL pointers, zero and huge lengths, buffers
 * too small), each expecting its exact status and never a crash.
 *
 * Usage: test_capi REPO_ROOT
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tokengate.h"
#include "keys.h"
#include "attack_tokens.h"
#include "check.h"


static bool str_eq(tokengate_str s, const char *want) {
    return s.ptr != NULL && s.len == strlen(want) && memcmp(s.ptr, want, s.len) == 0;
}

static const tokengate_str ISSUERS[] = {TOKENGATE_STR("https://issuer.tokengate.test")};
static const tokengate_str AUDIENCES[] = {TOKENGATE_STR("door-17")};
static const tokengate_str SCOPES[] = {TOKENGATE_STR("door:open")};

/* The policy of the attack tokens, const as firmware would have it. */
static const tokengate_policy POLICY = {
    .issuers = ISSUERS,
    .n_issuers = 1,
    .audiences = AUDIENCES,
    .n_audiences = 1,
    .scopes = SCOPES,
    .n_scopes = 1,
};

/* The buffers on the heap with no initialization: ASan sees every byte the library touches. */
static tokengate_buffers *new_buffers(void) {
    tokengate_buffers *b = malloc(sizeof *b);
    if (b == NULL) {
        abort();
    }
    return b;
}

static char *read_token(const char *root, const char *name, size_t *len) {
    char path[4096];
    snprintf(path, sizeof path, "%s/tests/data/tokens/%s.jwt", root, name);
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        printf("cannot open %s\n", path);
        exit(2);
    }
    static char data[8192];
    size_t n = fread(data, 1, sizeof data - 1, f);
    fclose(f);
    while (n > 0 && (data[n - 1] == '\n' || data[n - 1] == '\r' || data[n - 1] == ' ')) {
        n--;
    }
    /* An exact-size copy, so ASan catches a read one past the token. */
    char *token = malloc(n ? n : 1);
    if (token == NULL) {
        abort();
    }
    memcpy(token, data, n);
    *len = n;
    return token;
}

static tokengate_status verify(const char *token, tokengate_buffers *buffers,
                               tokengate_claims *claims) {
    return tokengate_verify(tokengate_keys, TOKENGATE_KEYS_COUNT, &POLICY, TOKENGATE_TEST_NOW,
                            (const uint8_t *)token, strlen(token), buffers, claims);
}

static void sample_tokens(const char *root) {
    static const char *const names[] = {"es256", "hs256", "rs256-2048", "rs256-3072",
                                        "rs256-4096"};
    tokengate_buffers *buffers = new_buffers();
    for (size_t k = 0; k < TOKENGATE_KEYS_COUNT; k++) {
        CHECK_STATUS(tokengate_key_check(&tokengate_keys[k]), TOKENGATE_STATUS_OK, "key check");
    }
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        size_t len;
        char *token = read_token(root, names[i], &len);
        tokengate_claims claims;
        tokengate_status status =
            tokengate_verify(tokengate_keys, TOKENGATE_KEYS_COUNT, &POLICY, TOKENGATE_TEST_NOW,
                             (const uint8_t *)token, len, buffers, &claims);
        /* The claims point into the buffers, not the token. */
        free(token);
        CHECK_STATUS(status, TOKENGATE_STATUS_OK, names[i]);
        CHECK(str_eq(claims.sub, "device-operator"), "%s: sub", names[i]);
        CHECK(str_eq(claims.iss, "https://issuer.tokengate.test"), "%s: iss", names[i]);
        CHECK(str_eq(claims.aud, "door-17") && claims.aud_count == 1, "%s: aud", names[i]);
        CHECK(str_eq(claims.jti, "sample-1"), "%s: jti", names[i]);
        CHECK(claims.has_exp && claims.exp == 4102444800ULL, "%s: exp", names[i]);
        CHECK(claims.has_iat && claims.iat == 1767225600ULL && !claims.has_nbf, "%s: iat, nbf",
              names[i]);
        CHECK(str_eq(claims.typ, "JWT"), "%s: typ", names[i]);
        CHECK(claims.alg == (names[i][0] == 'e'   ? TOKENGATE_ALG_ES256
                             : names[i][0] == 'h' ? TOKENGATE_ALG_HS256
                                                  : TOKENGATE_ALG_RS256),
              "%s: alg", names[i]);
        CHECK(tokengate_has_scope(&claims, "door:open", 9), "%s: door:open", names[i]);
        CHECK(tokengate_has_scope(&claims, "door:status", 11), "%s: door:status", names[i]);
        CHECK(!tokengate_has_scope(&claims, "door", 4), "%s: door", names[i]);
        CHECK(!tokengate_has_scope(&claims, "door:open door:status", 21), "%s: two", names[i]);
        CHECK(!tokengate_has_scope(&claims, "", 0), "%s: empty scope", names[i]);
        CHECK(tokengate_has_audience(&claims, "door-17", 7), "%s: has door-17", names[i]);
        CHECK(!tokengate_has_audience(&claims, "door-1", 6), "%s: not door-1", names[i]);
        CHECK(claims.claims_json.ptr != NULL && claims.claims_json.ptr[0] == '{', "%s: json",
              names[i]);
    }
    free(buffers);
}

static void attack_tokens(void) {
    tokengate_buffers *buffers = new_buffers();
    for (size_t i = 0; i < sizeof ATTACK_CASES / sizeof ATTACK_CASES[0]; i++) {
        const struct attack_case *c = &ATTACK_CASES[i];
        tokengate_claims claims;
        CHECK_STATUS(verify(c->token, buffers, &claims), c->expected, c->name);
        if (c->expected != TOKENGATE_STATUS_OK) {
            CHECK(claims.iss.ptr == NULL && claims.sub.ptr == NULL && claims.aud_count == 0 &&
                      !claims.has_exp,
                  "%s: claims not cleared", c->name);
        }
    }
    /* The aud array: every audience, by index and by name; scopes from an `scp` array; an
     * escaped issuer decoded into the buffers. */
    tokengate_claims claims;
    CHECK_STATUS(verify(ATTACK_CASES[1].token, buffers, &claims), TOKENGATE_STATUS_OK, "aud array");
    CHECK(claims.aud_count == 2 && str_eq(claims.aud, "door-16"), "aud array: first");
    tokengate_str second;
    CHECK_STATUS(tokengate_claims_audience(&claims, 1, &second), TOKENGATE_STATUS_OK, "aud[1]");
    CHECK(str_eq(second, "door-17"), "aud[1] is door-17");
    CHECK_STATUS(tokengate_claims_audience(&claims, 2, &second), TOKENGATE_STATUS_INVALID_ARGUMENT,
                 "aud[2]");
    CHECK(second.ptr == NULL, "aud[2] left no view");
    CHECK_STATUS(tokengate_claims_audience(&claims, SIZE_MAX, &second),
                 TOKENGATE_STATUS_INVALID_ARGUMENT, "aud[SIZE_MAX]");
    CHECK(tokengate_has_audience(&claims, "door-16", 7), "has door-16");
    CHECK(!tokengate_has_audience(&claims, "door-18", 7), "not door-18");
    CHECK(tokengate_has_scope(&claims, "door:open", 9) && tokengate_has_scope(&claims, "x", 1),
          "scp array");
    CHECK(str_eq(claims.iss, "https://issuer.tokengate.test"), "escaped iss decoded");
    CHECK(claims.sub.ptr == NULL && claims.jti.ptr == NULL && !claims.has_iat, "absent claims");
    free(buffers);
}

static void bad_calls(void) {
    tokengate_buffers *buffers = new_buffers();
    tokengate_claims claims;
    const char *token = ATTACK_CASES[0].token;
    const uint8_t *t = (const uint8_t *)token;
    size_t len = strlen(token);
    const tokengate_key *keys = tokengate_keys;
    size_t n = TOKENGATE_KEYS_COUNT;

    CHECK_STATUS(verify(token, buffers, &claims), TOKENGATE_STATUS_OK, "baseline");
    /* NULL for each pointer argument. */
    CHECK_STATUS(tokengate_verify(NULL, n, &POLICY, TOKENGATE_TEST_NOW, t, len, buffers, &claims),
                 TOKENGATE_STATUS_NULL_ARGUMENT, "NULL keys");
    CHECK(claims.sub.ptr == NULL, "NULL keys cleared the claims");
    CHECK_STATUS(tokengate_verify(keys, n, NULL, TOKENGATE_TEST_NOW, t, len, buffers, &claims),
                 TOKENGATE_STATUS_NULL_ARGUMENT, "NULL policy");
    CHECK_STATUS(tokengate_verify(keys, n, &POLICY, TOKENGATE_TEST_NOW, NULL, len, buffers, &claims),
                 TOKENGATE_STATUS_NULL_ARGUMENT, "NULL token");
    CHECK_STATUS(tokengate_verify(keys, n, &POLICY, TOKENGATE_TEST_NOW, NULL, 0, buffers, &claims),
                 TOKENGATE_STATUS_NULL_ARGUMENT, "NULL token, zero length");
    CHECK_STATUS(tokengate_verify(keys, n, &POLICY, TOKENGATE_TEST_NOW, t, len, NULL, &claims),
                 TOKENGATE_STATUS_NULL_ARGUMENT, "NULL buffers");
    CHECK_STATUS(tokengate_verify(keys, n, &POLICY, TOKENGATE_TEST_NOW, t, len, buffers, NULL),
                 TOKENGATE_STATUS_NULL_ARGUMENT, "NULL claims");
    CHECK_STATUS(tokengate_verify(NULL, 0, NULL, 0, NULL, 0, NULL, NULL),
                 TOKENGATE_STATUS_NULL_ARGUMENT, "all NULL");
    /* Zero and huge lengths. */
    CHECK_STATUS(tokengate_verify(keys, 0, &POLICY, TOKENGATE_TEST_NOW, t, len, buffers, &claims),
                 TOKENGATE_STATUS_INVALID_ARGUMENT, "no keys");
    CHECK_STATUS(tokengate_verify(keys, TOKENGATE_MAX_KEYS + 1, &POLICY, TOKENGATE_TEST_NOW, t, len,
                                  buffers, &claims),
                 TOKENGATE_STATUS_TOO_MANY_KEYS, "too many keys");
    CHECK_STATUS(tokengate_verify(keys, SIZE_MAX, &POLICY, TOKENGATE_TEST_NOW, t, len, buffers,
                                  &claims),
                 TOKENGATE_STATUS_TOO_MANY_KEYS, "SIZE_MAX keys");
    CHECK_STATUS(tokengate_verify(keys, n, &POLICY, TOKENGATE_TEST_NOW, t, 0, buffers, &claims),
                 TOKENGATE_STATUS_SEGMENT_COUNT, "empty token");
    CHECK_STATUS(tokengate_verify(keys, n, &POLICY, TOKENGATE_TEST_NOW, t, SIZE_MAX, buffers,
                                  &claims),
                 TOKENGATE_STATUS_TOO_LARGE, "SIZE_MAX token");
    CHECK_STATUS(tokengate_verify(keys, n, &POLICY, TOKENGATE_TEST_NOW, t,
                                  TOKENGATE_MAX_TOKEN_LEN + 1, buffers, &claims),
                 TOKENGATE_STATUS_TOO_LARGE, "token over TOKENGATE_MAX_TOKEN_LEN");
    CHECK_STATUS(tokengate_verify(keys, n, &POLICY, TOKENGATE_TEST_NOW, t, len - 2, buffers,
                                  &claims),
                 TOKENGATE_STATUS_BASE64, "token cut two characters short");

    /* Bad policies. */
    tokengate_policy p = POLICY;
    p.n_issuers = SIZE_MAX;
    CHECK_STATUS(tokengate_verify(keys, n, &p, TOKENGATE_TEST_NOW, t, len, buffers, &claims),
                 TOKENGATE_STATUS_INVALID_ARGUMENT, "SIZE_MAX issuers");
    p = POLICY;
    p.n_audiences = TOKENGATE_MAX_AUDIENCES + 1;
    CHECK_STATUS(tokengate_verify(keys, n, &p, TOKENGATE_TEST_NOW, t, len, buffers, &claims),
                 TOKENGATE_STATUS_INVALID_ARGUMENT, "too many audiences");
    p = POLICY;
    p.scopes = NULL;
    CHECK_STATUS(tokengate_verify(keys, n, &p, TOKENGATE_TEST_NOW, t, len, buffers, &claims),
                 TOKENGATE_STATUS_NULL_ARGUMENT, "NULL scopes, one scope");
    p = POLICY;
    p.n_issuers = 0;
    CHECK_STATUS(tokengate_verify(keys, n, &p, TOKENGATE_TEST_NOW, t, len, buffers, &claims),
                 TOKENGATE_STATUS_INVALID_ARGUMENT, "no issuer without ANY_ISSUER");
    p.flags = TOKENGATE_POLICY_ANY_ISSUER;
    CHECK_STATUS(tokengate_verify(keys, n, &p, TOKENGATE_TEST_NOW, t, len, buffers, &claims),
                 TOKENGATE_STATUS_OK, "ANY_ISSUER");
    p = POLICY;
    p.flags = TOKENGATE_POLICY_ANY_ISSUER;
    CHECK_STATUS(tokengate_verify(keys, n, &p, TOKENGATE_TEST_NOW, t, len, buffers, &claims),
                 TOKENGATE_STATUS_INVALID_ARGUMENT, "ANY_ISSUER with issuers");
    p = POLICY;
    p.flags = 1u << 31;
    CHECK_STATUS(tokengate_verify(keys, n, &p, TOKENGATE_TEST_NOW, t, len, buffers, &claims),
                 TOKENGATE_STATUS_INVALID_ARGUMENT, "unknown flag");
    p = POLICY;
    p.typ = (tokengate_str)TOKENGATE_STR("at+jwt");
    CHECK_STATUS(tokengate_verify(keys, n, &p, TOKENGATE_TEST_NOW, t, len, buffers, &claims),
                 TOKENGATE_STATUS_WRONG_TYPE, "typ at+jwt");
    p = POLICY;
    p.flags = TOKENGATE_POLICY_MAX_AGE;
    p.max_age = 60;
    CHECK_STATUS(tokengate_verify(keys, n, &p, TOKENGATE_TEST_NOW, t, len, buffers, &claims),
                 TOKENGATE_STATUS_TOO_OLD, "max age 60 s");
    p.leeway = 3600;
    CHECK_STATUS(tokengate_verify(keys, n, &p, TOKENGATE_TEST_NOW, t, len, buffers, &claims),
                 TOKENGATE_STATUS_OK, "max age 60 s, leeway 1 h");
    static const tokengate_str bad_utf8[] = {{"\xff", 1}};
    p = POLICY;
    p.audiences = bad_utf8;
    CHECK_STATUS(tokengate_verify(keys, n, &p, TOKENGATE_TEST_NOW, t, len, buffers, &claims),
                 TOKENGATE_STATUS_INVALID_ARGUMENT, "audience not UTF-8");
    static const tokengate_str null_view[] = {{NULL, 5}};
    p.audiences = null_view;
    CHECK_STATUS(tokengate_verify(keys, n, &p, TOKENGATE_TEST_NOW, t, len, buffers, &claims),
                 TOKENGATE_STATUS_NULL_ARGUMENT, "audience {NULL, 5}");
    static const tokengate_str huge_view[] = {{"door-17", SIZE_MAX}};
    p.audiences = huge_view;
    CHECK_STATUS(tokengate_verify(keys, n, &p, TOKENGATE_TEST_NOW, t, len, buffers, &claims),
                 TOKENGATE_STATUS_INVALID_ARGUMENT, "audience of SIZE_MAX bytes");

    /* Bad keys. */
    tokengate_key k = tokengate_keys[0]; /* ES256 */
    k.material_len = 64;
    CHECK_STATUS(tokengate_key_check(&k), TOKENGATE_STATUS_INVALID_KEY, "ES256 of 64 bytes");
    CHECK_STATUS(tokengate_verify(&k, 1, &POLICY, TOKENGATE_TEST_NOW, t, len, buffers, &claims),
                 TOKENGATE_STATUS_INVALID_KEY, "verify with an ES256 key of 64 bytes");
    k.material_len = SIZE_MAX;
    CHECK_STATUS(tokengate_key_check(&k), TOKENGATE_STATUS_INVALID_ARGUMENT, "SIZE_MAX material");
    k = tokengate_keys[0];
    k.material = NULL;
    CHECK_STATUS(tokengate_key_check(&k), TOKENGATE_STATUS_NULL_ARGUMENT, "NULL material");
    k.material_len = 0;
    CHECK_STATUS(tokengate_key_check(&k), TOKENGATE_STATUS_INVALID_KEY, "no material");
    k = tokengate_keys[0];
    uint8_t off_curve[65];
    memcpy(off_curve, k.material, 65);
    off_curve[64] ^= 1;
    k.material = off_curve;
    CHECK_STATUS(tokengate_key_check(&k), TOKENGATE_STATUS_INVALID_KEY, "point off the curve");
    k = tokengate_keys[0];
    k.alg = 0;
    CHECK_STATUS(tokengate_key_check(&k), TOKENGATE_STATUS_UNSUPPORTED_ALG, "alg 0");
    k.alg = 0xffffffffu;
    CHECK_STATUS(tokengate_key_check(&k), TOKENGATE_STATUS_UNSUPPORTED_ALG, "alg 2^32-1");
    k = tokengate_keys[0];
    k.kid = bad_utf8[0];
    CHECK_STATUS(tokengate_key_check(&k), TOKENGATE_STATUS_INVALID_ARGUMENT, "kid not UTF-8");
    static const uint8_t short_secret[16] = {1};
    k = (tokengate_key){.alg = TOKENGATE_ALG_HS256, .material = short_secret,
                        .material_len = sizeof short_secret};
    CHECK_STATUS(tokengate_key_check(&k), TOKENGATE_STATUS_SECRET_TOO_SHORT, "short secret");
    static const uint8_t small_modulus[128] = {0xc5, [127] = 0x0b};
    k = (tokengate_key){.alg = TOKENGATE_ALG_RS256, .rsa_exponent = 65537,
                        .material = small_modulus, .material_len = sizeof small_modulus};
    CHECK_STATUS(tokengate_key_check(&k), TOKENGATE_STATUS_RSA_KEY_SIZE, "RSA-1024");
    /* A malformed key is refused on every call, whether the token selects it or not (the
     * token here is HS256: only its key is prepared, every key is checked). */
    tokengate_key with_bad[TOKENGATE_KEYS_COUNT + 1];
    memcpy(with_bad, tokengate_keys, sizeof tokengate_keys);
    with_bad[TOKENGATE_KEYS_COUNT] = k;
    CHECK_STATUS(tokengate_verify(with_bad, n + 1, &POLICY, TOKENGATE_TEST_NOW, t, len, buffers,
                                  &claims),
                 TOKENGATE_STATUS_RSA_KEY_SIZE, "an RSA-1024 key the token does not select");
    uint8_t even_modulus[512];
    memcpy(even_modulus, tokengate_keys[3].material, tokengate_keys[3].material_len);
    even_modulus[tokengate_keys[3].material_len - 1] ^= 1;
    with_bad[TOKENGATE_KEYS_COUNT] = tokengate_keys[3];
    with_bad[TOKENGATE_KEYS_COUNT].material = even_modulus;
    CHECK_STATUS(tokengate_verify(with_bad, n + 1, &POLICY, TOKENGATE_TEST_NOW, t, len, buffers,
                                  &claims),
                 TOKENGATE_STATUS_INVALID_KEY, "an even RSA-4096 modulus the token does not select");
    with_bad[TOKENGATE_KEYS_COUNT].material = tokengate_keys[3].material;
    with_bad[TOKENGATE_KEYS_COUNT].rsa_exponent = 65536;
    CHECK_STATUS(tokengate_verify(with_bad, n + 1, &POLICY, TOKENGATE_TEST_NOW, t, len, buffers,
                                  &claims),
                 TOKENGATE_STATUS_INVALID_KEY, "an even RSA exponent the token does not select");
    with_bad[TOKENGATE_KEYS_COUNT].rsa_exponent = 65537;
    CHECK_STATUS(tokengate_verify(with_bad, n + 1, &POLICY, TOKENGATE_TEST_NOW, t, len, buffers,
                                  &claims),
                 TOKENGATE_STATUS_OK, "the same keys, all well-formed");
    CHECK_STATUS(tokengate_key_check(NULL), TOKENGATE_STATUS_NULL_ARGUMENT, "NULL key");
    /* A key bound to another issuer. */
    tokengate_key bound[TOKENGATE_KEYS_COUNT];
    memcpy(bound, tokengate_keys, sizeof bound);
    for (size_t i = 0; i < TOKENGATE_KEYS_COUNT; i++) {
        bound[i].issuer = (tokengate_str)TOKENGATE_STR("https://other.issuer");
    }
    CHECK_STATUS(tokengate_verify(bound, n, &POLICY, TOKENGATE_TEST_NOW, t, len, buffers, &claims),
                 TOKENGATE_STATUS_KEY_ISSUER_MISMATCH, "key bound to another issuer");
    /* Only keys with a kid: a token naming none of them. */
    CHECK_STATUS(tokengate_verify(keys, 4, &POLICY, TOKENGATE_TEST_NOW, t, len, buffers, &claims),
                 TOKENGATE_STATUS_NO_KEY_FOR_ALG, "no HS256 key");

    /* The claim helpers with NULL. */
    CHECK(!tokengate_has_scope(NULL, "door:open", 9), "has_scope(NULL claims)");
    CHECK(!tokengate_has_scope(&claims, NULL, 9), "has_scope(NULL name)");
    CHECK(!tokengate_has_audience(NULL, "door-17", 7), "has_audience(NULL claims)");
    CHECK(!tokengate_has_audience(&claims, NULL, 0), "has_audience(NULL name)");
    CHECK_STATUS(tokengate_claims_audience(&claims, 0, NULL), TOKENGATE_STATUS_NULL_ARGUMENT,
                 "claims_audience(NULL out)");
    tokengate_str view;
    CHECK_STATUS(tokengate_claims_audience(NULL, 0, &view), TOKENGATE_STATUS_NULL_ARGUMENT,
                 "claims_audience(NULL claims)");

    /* Every status has a description. */
    for (int s = -2; s <= 60; s++) {
        const char *text = tokengate_status_str(s);
        CHECK(text != NULL && strchr(text, ':') != NULL, "status_str(%d)", s);
    }
    CHECK(strncmp(tokengate_status_str(TOKENGATE_STATUS_BAD_SIGNATURE), "BAD_SIGNATURE:", 14) == 0,
          "BAD_SIGNATURE string");
    CHECK(strncmp(tokengate_status_str(12345), "UNKNOWN:", 8) == 0, "unknown status string");
    free(buffers);
}

static void offline_gate(void) {
    tokengate_buffers *buffers = new_buffers();
    tokengate_claims claims;
    const char *token = ATTACK_CASES[0].token;
    const uint8_t *t = (const uint8_t *)token;
    size_t len = strlen(token);
    const tokengate_key *keys = tokengate_keys;
    size_t n = TOKENGATE_KEYS_COUNT;

    tokengate_replay_guard *guard = malloc(sizeof *guard);
    if (guard == NULL) {
        abort();
    }
    CHECK_STATUS(tokengate_replay_guard_init(NULL), TOKENGATE_STATUS_NULL_ARGUMENT, "init(NULL)");
    CHECK_STATUS(tokengate_replay_guard_init(guard), TOKENGATE_STATUS_OK, "init");
    CHECK_STATUS(tokengate_verify_once(keys, n, &POLICY, TOKENGATE_TEST_NOW, t, len, buffers, guard,
                                       &claims),
                 TOKENGATE_STATUS_OK, "first use");
    CHECK(str_eq(claims.jti, "c-1"), "first use: jti");
    CHECK_STATUS(tokengate_verify_once(keys, n, &POLICY, TOKENGATE_TEST_NOW, t, len, buffers, guard,
                                       &claims),
                 TOKENGATE_STATUS_REPLAYED, "second use");
    CHECK_STATUS(tokengate_verify_once(keys, n, &POLICY, TOKENGATE_TEST_NOW, t, len, buffers, NULL,
                                       &claims),
                 TOKENGATE_STATUS_NULL_ARGUMENT, "NULL guard");
    /* The guard is its own saved form: a copy restores it, a corrupted copy is refused. */
    tokengate_replay_guard *saved = malloc(sizeof *saved);
    if (saved == NULL) {
        abort();
    }
    memcpy(saved, guard, sizeof *saved);
    CHECK_STATUS(tokengate_verify_once(keys, n, &POLICY, TOKENGATE_TEST_NOW, t, len, buffers, saved,
                                       &claims),
                 TOKENGATE_STATUS_REPLAYED, "restored copy remembers");
    saved->state[20] ^= 0x40;
    CHECK_STATUS(tokengate_verify_once(keys, n, &POLICY, TOKENGATE_TEST_NOW, t, len, buffers, saved,
                                       &claims),
                 TOKENGATE_STATUS_CORRUPT_STATE, "corrupt copy");
    saved->len = UINT32_MAX;
    CHECK_STATUS(tokengate_verify_once(keys, n, &POLICY, TOKENGATE_TEST_NOW, t, len, buffers, saved,
                                       &claims),
                 TOKENGATE_STATUS_CORRUPT_STATE, "length past the state");
    CHECK_STATUS(tokengate_replay_guard_init_after_state_loss(saved, TOKENGATE_TEST_NOW),
                 TOKENGATE_STATUS_OK, "after state loss");
    CHECK_STATUS(tokengate_verify_once(keys, n, &POLICY, TOKENGATE_TEST_NOW, t, len, buffers, saved,
                                       &claims),
                 TOKENGATE_STATUS_REPLAYED, "issued before the loss");
    free(saved);

    /* The anchored clock. */
    tokengate_clock clock;
    uint64_t now = 0;
    CHECK_STATUS(tokengate_clock_init(&clock, TOKENGATE_TEST_NOW, 0, 0),
                 TOKENGATE_STATUS_ZERO_TICK_RATE, "zero tick rate");
    CHECK_STATUS(tokengate_clock_init(NULL, TOKENGATE_TEST_NOW, 0, 1000),
                 TOKENGATE_STATUS_NULL_ARGUMENT, "clock_init(NULL)");
    CHECK_STATUS(tokengate_clock_now(&clock, 0, &now), TOKENGATE_STATUS_ZERO_TICK_RATE,
                 "uninitialized clock");
    CHECK_STATUS(tokengate_clock_init(&clock, TOKENGATE_TEST_NOW, 0, 1000), TOKENGATE_STATUS_OK,
                 "clock_init");
    CHECK_STATUS(tokengate_clock_now(&clock, 5000, &now), TOKENGATE_STATUS_OK, "clock_now");
    CHECK(now == TOKENGATE_TEST_NOW + 5, "5000 ticks at 1 kHz: got %llu", (unsigned long long)now);
    CHECK_STATUS(tokengate_clock_now(&clock, 5000, NULL), TOKENGATE_STATUS_NULL_ARGUMENT,
                 "clock_now(NULL out)");
    CHECK_STATUS(tokengate_clock_advance_to_trusted(&clock, 1000, 6000), TOKENGATE_STATUS_OK,
                 "advance backwards");
    CHECK_STATUS(tokengate_clock_now(&clock, 6000, &now), TOKENGATE_STATUS_OK, "clock_now");
    CHECK(now == TOKENGATE_TEST_NOW + 6, "never backwards");

    /* The gate: a token issued "in the future" moves the clock under IAT_AS_TIME. It has the
     * jti of the token above: a fresh guard. */
    CHECK_STATUS(tokengate_replay_guard_init(guard), TOKENGATE_STATUS_OK, "init again");
    tokengate_policy p = POLICY;
    p.flags = TOKENGATE_POLICY_IAT_AS_TIME;
    const char *future = NULL;
    for (size_t i = 0; i < sizeof ATTACK_CASES / sizeof ATTACK_CASES[0]; i++) {
        if (strcmp(ATTACK_CASES[i].name, "issued in the future") == 0) {
            future = ATTACK_CASES[i].token;
        }
    }
    CHECK(future != NULL, "the future token");
    if (future != NULL) {
        const uint8_t *f = (const uint8_t *)future;
        size_t flen = strlen(future);
        CHECK_STATUS(tokengate_gate_admit(keys, n, &POLICY, &clock, guard, 7000, f, flen, buffers,
                                          &claims),
                     TOKENGATE_STATUS_ISSUED_IN_FUTURE, "gate without IAT_AS_TIME");
        CHECK_STATUS(tokengate_gate_admit(keys, n, &p, &clock, guard, 7000, f, flen, buffers,
                                          &claims),
                     TOKENGATE_STATUS_OK, "gate with IAT_AS_TIME");
        CHECK_STATUS(tokengate_clock_now(&clock, 7000, &now), TOKENGATE_STATUS_OK, "clock_now");
        CHECK(now == 4000000000ULL, "the clock moved to iat: %llu", (unsigned long long)now);
        CHECK_STATUS(tokengate_gate_admit(keys, n, &p, &clock, guard, 8000, f, flen, buffers,
                                          &claims),
                     TOKENGATE_STATUS_REPLAYED, "gate: second use");
        CHECK_STATUS(tokengate_gate_admit(keys, n, &p, NULL, guard, 8000, f, flen, buffers,
                                          &claims),
                     TOKENGATE_STATUS_NULL_ARGUMENT, "gate: NULL clock");
        CHECK_STATUS(tokengate_gate_admit(keys, n, &p, &clock, NULL, 8000, f, flen, buffers,
                                          &claims),
                     TOKENGATE_STATUS_NULL_ARGUMENT, "gate: NULL guard");
    }
    free(guard);
    free(buffers);
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s REPO_ROOT\n", argv[0]);
        return 2;
    }
    sample_tokens(argv[1]);
    attack_tokens();
    bad_calls();
    offline_gate();
    printf("c-tests: %d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
