/*
 * The C API against libjwt 1.10 (Debian's libjwt-dev) on the host, built and run by
 * scripts/c-bench: the repository's sample tokens verified through tokengate_verify and
 * through libjwt's jwt_decode plus the claim checks a libjwt 1.10 caller writes itself.
 *
 * Same work on both sides: the signature with the token's key, the algorithm the key is for,
 * `iss` and `aud` (exact), `exp` required and not passed, `nbf` and `iat` not in the future.
 * libjwt 1.10 has no validation API (its jwt.h has none of the jwt_valid_* functions of later
 * versions), so its side is jwt_decode with the PEM key (or the HMAC secret) and then the
 * caller's jwt_get_alg and jwt_get_grant* checks.
 * tokengate gets the one key of the token (as `const tokengate_key` data), as libjwt does.
 *
 * First the verdicts, for every token: both must accept the valid sample token and refuse a
 * tampered signature, a tampered payload, the signed bad-claims tokens of
 * benches/data/tokens.json (wrong iss, wrong aud, expired, no exp) where it has them, an
 * "alg":"none" token and, for the public-key algorithms, the HS256 key-confusion token (HMAC
 * keyed with the very PEM bytes libjwt is given). Any other verdict exits 1. Then the heap
 * calls of one verification (after two warm-up calls: one-time initialization is not a cost
 * per verify), counted by this program's own malloc, calloc, realloc, free and aligned
 * allocators, which glibc, jansson and OpenSSL in their shared libraries reach through the
 * PLT; and the median time per verification over rounds that alternate the two libraries.
 *
 * Usage: libjwt_compare [--check] REPO_ROOT
 *   --check   verdicts and heap counts only, a few calls each, no timing (CI). Exits 1 if
 *             tokengate allocates at all (it is heap-free by design; so it is asserted in
 *             both modes).
 * Output: markdown on stdout.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jwt.h>
#include <openssl/evp.h>
#include <openssl/crypto.h>
#include <openssl/pem.h>

#include "tokengate.h"
#include "keys.h"

/* ---- Heap calls, counted while `counting` is set --------------------------------------- */

/* glibc's own allocator entry points: the definitions below replace malloc & co. for the whole
 * process (glibc documents this replacement), count, and forward here. */
extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t n, size_t size);
extern void *__libc_realloc(void *ptr, size_t size);
extern void __libc_free(void *ptr);
extern void *__libc_memalign(size_t align, size_t size);

struct heap {
    size_t allocs;   /* calls that hand out memory: malloc, calloc, realloc, aligned */
    size_t reallocs; /* of which realloc of an existing block (which frees the old one) */
    size_t frees;    /* free of a non-NULL pointer */
    size_t bytes;    /* bytes asked for (realloc: the new size) */
};
static bool counting;
static struct heap heap;

static void count(size_t bytes) {
    if (counting) {
        heap.allocs++;
        heap.bytes += bytes;
    }
}

void *malloc(size_t size) {
    count(size);
    return __libc_malloc(size);
}

void *calloc(size_t n, size_t size) {
    count(n * size);
    return __libc_calloc(n, size);
}

void *realloc(void *ptr, size_t size) {
    count(size);
    if (counting && ptr != NULL) {
        heap.reallocs++;
    }
    return __libc_realloc(ptr, size);
}

void free(void *ptr) {
    if (counting && ptr != NULL) {
        heap.frees++;
    }
    __libc_free(ptr);
}

void *memalign(size_t align, size_t size) {
    count(size);
    return __libc_memalign(align, size);
}

void *aligned_alloc(size_t align, size_t size) {
    count(size);
    return __libc_memalign(align, size);
}

int posix_memalign(void **out, size_t align, size_t size) {
    if (align < sizeof(void *) || (align & (align - 1)) != 0) {
        return EINVAL;
    }
    count(size);
    void *p = __libc_memalign(align, size);
    if (p == NULL) {
        return ENOMEM;
    }
    *out = p;
    return 0;
}

/* ---- Files, the repository's JSON, base64url -------------------------------------------- */

static const char *root;

static void die(const char *what, const char *detail) {
    fprintf(stderr, "libjwt_compare: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
    exit(2);
}

/* The whole file, NUL-terminated (libjwt reads PEM keys as strings; secrets are bytes). */
static char *read_file(const char *rel, size_t *len) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", root, rel);
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        die("cannot open", path);
    }
    size_t cap = 4096, n = 0;
    char *data = malloc(cap);
    size_t got;
    while (data != NULL && (got = fread(data + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (cap - n - 1 == 0) {
            cap *= 2;
            data = realloc(data, cap);
        }
    }
    fclose(f);
    if (data == NULL) {
        die("out of memory", NULL);
    }
    data[n] = '\0';
    *len = n;
    return data;
}

static char *trimmed_file(const char *rel) {
    size_t n;
    char *s = read_file(rel, &n);
    while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' ')) {
        s[--n] = '\0';
    }
    return s;
}

/* The string `field` of the flat object `section` in benches/data/samples.json or tokens.json,
 * which make_tokens.py writes with json.dump: `"section": { "field": "value", ... }`. Only the
 * escapes those files contain (\n, \", \\, \/) are decoded; anything else is an error, not a
 * guess. NULL when the section has no such field. */
static char *json_field(const char *json, const char *section, const char *field) {
    char pat[256];
    snprintf(pat, sizeof pat, "\"%s\": {", section);
    const char *obj = strstr(json, pat);
    if (obj == NULL) {
        die("no section in the JSON file", section);
    }
    const char *end = strchr(obj + strlen(pat), '}');
    snprintf(pat, sizeof pat, "\"%s\": \"", field);
    const char *at = strstr(obj, pat);
    if (at == NULL || end == NULL || at > end) {
        return NULL;
    }
    at += strlen(pat);
    char *out = malloc(strlen(at) + 1);
    size_t n = 0;
    for (; *at != '"'; at++) {
        if (*at == '\0') {
            die("unterminated JSON string in", section);
        }
        if (*at == '\\') {
            at++;
            switch (*at) {
            case 'n': out[n++] = '\n'; break;
            case '"': case '\\': case '/': out[n++] = *at; break;
            default: die("unexpected JSON escape in", section);
            }
        } else {
            out[n++] = *at;
        }
    }
    out[n] = '\0';
    return out;
}

static const char B64URL[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

static char *b64url_encode(const uint8_t *in, size_t len) {
    char *out = malloc(len * 4 / 3 + 4);
    size_t n = 0;
    for (size_t i = 0; i < len; i += 3) {
        uint32_t v = (uint32_t)in[i] << 16;
        if (i + 1 < len) v |= (uint32_t)in[i + 1] << 8;
        if (i + 2 < len) v |= in[i + 2];
        out[n++] = B64URL[v >> 18];
        out[n++] = B64URL[(v >> 12) & 63];
        if (i + 1 < len) out[n++] = B64URL[(v >> 6) & 63];
        if (i + 2 < len) out[n++] = B64URL[v & 63];
    }
    out[n] = '\0';
    return out;
}

static char *b64url_decode(const char *in, size_t len, size_t *out_len) {
    char *out = malloc(len * 3 / 4 + 3);
    uint32_t acc = 0;
    int bits = 0;
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        const char *p = memchr(B64URL, in[i], 64);
        if (p == NULL) {
            die("bad base64url in a sample token", NULL);
        }
        acc = (acc << 6) | (uint32_t)(p - B64URL);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[n++] = (char)((acc >> bits) & 0xff);
        }
    }
    out[n] = '\0';
    *out_len = n;
    return out;
}

static uint8_t *hex_decode(const char *hex, size_t *len) {
    size_t n = strlen(hex) / 2;
    uint8_t *out = malloc(n ? n : 1);
    for (size_t i = 0; i < n; i++) {
        unsigned v;
        if (sscanf(hex + 2 * i, "%2x", &v) != 1) {
            die("bad hex", hex);
        }
        out[i] = (uint8_t)v;
    }
    *len = n;
    return out;
}

/* "h.p.s" from three parts (each copied). */
static char *join3(const char *h, const char *p, const char *s) {
    size_t n = strlen(h) + strlen(p) + strlen(s) + 3;
    char *out = malloc(n);
    snprintf(out, n, "%s.%s.%s", h, p, s);
    return out;
}

/* The segment `index` (0, 1, 2) of a compact token, as a new string. */
static char *segment(const char *token, int index) {
    const char *start = token;
    for (int i = 0; i < index; i++) {
        start = strchr(start, '.');
        if (start == NULL) {
            die("not a compact token", token);
        }
        start++;
    }
    const char *end = strchr(start, '.');
    size_t n = end ? (size_t)(end - start) : strlen(start);
    char *out = malloc(n + 1);
    memcpy(out, start, n);
    out[n] = '\0';
    return out;
}

/* ---- The tokens ------------------------------------------------------------------------ */

#define ISS "https://issuer.tokengate.test"
#define AUD "door-17"
/* The clock of the C tests (attack_tokens.h): an hour after the samples' iat, long before
 * their exp (2100) and after the bad tokens' (iat + 60 s). */
#define NOW 1767229200L

static const tokengate_str ISSUERS[] = {TOKENGATE_STR(ISS)};
static const tokengate_str AUDIENCES[] = {TOKENGATE_STR(AUD)};
/* iss, aud, exp (required by default); no scope, no typ: libjwt's side checks no more. */
static const tokengate_policy POLICY = {
    .issuers = ISSUERS,
    .n_issuers = 1,
    .audiences = AUDIENCES,
    .n_audiences = 1,
};

/* Where each row's token and keys come from. */
struct spec {
    const char *label;
    const char *token_file; /* tests/data/tokens/<token_file>.jwt, or NULL: samples.json */
    const char *sample;     /* section of benches/data/samples.json */
    int tg_index;           /* index in keys.c's tokengate_keys, or -1 */
    tokengate_alg tg_alg;   /* 0: keys.c's as is */
    const char *secret;     /* HMAC secret file under tests/data/keys/ (both libraries) */
    const char *pem;        /* PEM file under tests/data/keys/ for libjwt, or NULL */
    jwt_alg_t jwt_alg;
    const char *bad;        /* section of benches/data/tokens.json, or NULL */
};

static const struct spec SPECS[] = {
    {"HS256", "hs256", NULL, 5, 0, "hs256.secret", NULL, JWT_ALG_HS256, "hs256"},
    {"HS384", NULL, "hs384", -1, TOKENGATE_ALG_HS384, "hs384.secret", NULL, JWT_ALG_HS384, "hs384"},
    {"HS512", NULL, "hs512", -1, TOKENGATE_ALG_HS512, "hs512.secret", NULL, JWT_ALG_HS512, "hs512"},
    {"ES256", "es256", NULL, 0, 0, NULL, "es256.pub.pem", JWT_ALG_ES256, "es256"},
    /* The ES384 key is in samples.json only (raw SEC1 point and PEM). */
    {"ES384", NULL, "es384", -1, TOKENGATE_ALG_ES384, NULL, NULL, JWT_ALG_ES384, "es384"},
    {"RS256-2048", "rs256-2048", NULL, 1, 0, NULL, "rsa2048.pub.pem", JWT_ALG_RS256, "rs256-2048"},
    {"RS256-3072", "rs256-3072", NULL, 2, 0, NULL, "rsa3072.pub.pem", JWT_ALG_RS256, NULL},
    {"RS256-4096", "rs256-4096", NULL, 3, 0, NULL, "rsa4096.pub.pem", JWT_ALG_RS256, "rs256-4096"},
    /* RS384 and RS512 use the 2048-bit sample key (keys.c binds it to RS256: a copy re-binds it). */
    {"RS384-2048", NULL, "rs384-2048", 1, TOKENGATE_ALG_RS384, NULL, "rsa2048.pub.pem",
     JWT_ALG_RS384, "rs384-2048"},
    {"RS512-2048", NULL, "rs512-2048", 1, TOKENGATE_ALG_RS512, NULL, "rsa2048.pub.pem",
     JWT_ALG_RS512, "rs512-2048"},
};
#define N_ROWS (sizeof SPECS / sizeof SPECS[0])

struct row {
    const struct spec *spec;
    char *token;
    tokengate_key key;
    const unsigned char *jwt_key;
    int jwt_key_len;
};

static struct row rows[N_ROWS];
static tokengate_buffers buffers;

static void load_rows(void) {
    size_t len;
    char *samples = read_file("benches/data/samples.json", &len);
    char path[512];
    for (size_t i = 0; i < N_ROWS; i++) {
        const struct spec *s = &SPECS[i];
        struct row *r = &rows[i];
        r->spec = s;
        if (s->token_file != NULL) {
            snprintf(path, sizeof path, "tests/data/tokens/%s.jwt", s->token_file);
            r->token = trimmed_file(path);
        } else {
            r->token = json_field(samples, s->sample, "token");
        }
        if (s->tg_index >= 0) {
            r->key = tokengate_keys[s->tg_index];
        }
        if (s->tg_alg != 0) {
            r->key.alg = s->tg_alg;
        }
        if (s->sample != NULL) {
            /* The token selects its key by kid: the samples' own. */
            const char *kid = json_field(samples, s->sample, "kid");
            r->key.kid = (tokengate_str){kid, strlen(kid)};
        }
        if (s->secret != NULL) {
            snprintf(path, sizeof path, "tests/data/keys/%s", s->secret);
            char *secret = read_file(path, &len);
            r->jwt_key = (const unsigned char *)secret;
            r->jwt_key_len = (int)len;
            if (s->tg_index < 0) {
                r->key.material = (const uint8_t *)secret;
                r->key.material_len = len;
            }
        } else if (s->pem != NULL) {
            snprintf(path, sizeof path, "tests/data/keys/%s", s->pem);
            char *pem = read_file(path, &len);
            r->jwt_key = (const unsigned char *)pem;
            r->jwt_key_len = (int)len;
        } else {
            /* ES384: PEM for libjwt, the raw SEC1 point for tokengate. */
            char *pem = json_field(samples, s->sample, "pem");
            char *raw = json_field(samples, s->sample, "raw");
            if (pem == NULL || raw == NULL) {
                die("no pem/raw key in samples.json for", s->sample);
            }
            r->jwt_key = (const unsigned char *)pem;
            r->jwt_key_len = (int)strlen(pem);
            r->key.material = hex_decode(raw, &r->key.material_len);
        }
        if (tokengate_key_check(&r->key) != TOKENGATE_STATUS_OK) {
            die("tokengate refuses the key of", s->label);
        }
    }
}

/* ---- One verification each --------------------------------------------------------------- */

static tokengate_status tg_verify(const struct row *r, const char *token) {
    tokengate_claims claims;
    return tokengate_verify(&r->key, 1, &POLICY, (uint64_t)NOW, (const uint8_t *)token,
                            strlen(token), &buffers, &claims);
}

/* How libjwt (and its caller) decided. */
enum jwt_verdict {
    JWT_ACCEPTED,
    JWT_DECODE_REFUSED, /* jwt_decode failed: format, JSON, key or signature */
    JWT_ALG_REFUSED,    /* decoded, but not the key's algorithm (the caller's check) */
    JWT_CLAIMS_REFUSED, /* decoded, but iss, aud, exp, nbf or iat failed (the caller's checks) */
};

/* A grant that must be absent or an integer not after `now`. */
static bool not_in_future(jwt_t *jwt, const char *grant) {
    errno = 0;
    long v = jwt_get_grant_int(jwt, grant);
    return errno == ENOENT || v <= NOW;
}

static enum jwt_verdict jwt_verify(const struct row *r, const char *token) {
    jwt_t *jwt = NULL;
    if (jwt_decode(&jwt, token, r->jwt_key, r->jwt_key_len) != 0) {
        jwt_free(jwt);
        return JWT_DECODE_REFUSED;
    }
    enum jwt_verdict v = JWT_ACCEPTED;
    if (jwt_get_alg(jwt) != r->spec->jwt_alg) {
        v = JWT_ALG_REFUSED;
    } else {
        const char *iss = jwt_get_grant(jwt, "iss");
        const char *aud = jwt_get_grant(jwt, "aud");
        errno = 0;
        long exp = jwt_get_grant_int(jwt, "exp");
        bool has_exp = errno != ENOENT;
        if (iss == NULL || strcmp(iss, ISS) != 0 || aud == NULL || strcmp(aud, AUD) != 0 ||
            !has_exp || exp <= NOW || !not_in_future(jwt, "nbf") || !not_in_future(jwt, "iat")) {
            v = JWT_CLAIMS_REFUSED;
        }
    }
    jwt_free(jwt);
    return v;
}

/* ---- Verdicts ---------------------------------------------------------------------------- */

#define N_CASES 8
static const char *const CASE_NAMES[N_CASES] = {
    "tampered signature", "tampered payload", "wrong iss", "wrong aud", "expired", "no exp",
    "alg none", "key confusion (HS256, HMAC keyed with the public key's PEM)",
};
static const char *const BAD_FIELDS[] = {"wrong-iss", "wrong-aud", "expired", "no-exp"};

struct tally {
    int tokens;                 /* rows that have this case */
    int tg_refused;
    int jwt_by[4];              /* by enum jwt_verdict */
};
static struct tally tallies[N_CASES];
static int failures;

/* The bad tokens of one row, case by case (NULL where the row has no such token). */
static void bad_tokens(const struct row *r, const char *bad_json, char *out[N_CASES]) {
    char *h = segment(r->token, 0), *p = segment(r->token, 1), *s = segment(r->token, 2);

    /* A character in the middle of the signature, changed: every bit of it is signature. */
    char *t = strdup(r->token);
    size_t mid = strlen(r->token) - strlen(s) / 2;
    t[mid] = t[mid] == 'A' ? 'B' : 'A';
    out[0] = t;

    /* The payload with one claim changed (sub, same length), re-encoded, signature kept. */
    size_t n;
    char *json = b64url_decode(p, strlen(p), &n);
    char *at = strstr(json, "device-operator");
    if (at == NULL) {
        die("no sub device-operator in", r->spec->label);
    }
    at[14] = 'R';
    char *p2 = b64url_encode((const uint8_t *)json, n);
    out[1] = join3(h, p2, s);

    for (int i = 0; i < 4; i++) {
        out[2 + i] = r->spec->bad ? json_field(bad_json, r->spec->bad, BAD_FIELDS[i]) : NULL;
        if (r->spec->bad && out[2 + i] == NULL) {
            die("missing bad token for", r->spec->bad);
        }
    }

    const char *none = "{\"alg\":\"none\",\"typ\":\"JWT\"}";
    char *hn = b64url_encode((const uint8_t *)none, strlen(none));
    out[6] = join3(hn, p, "");

    out[7] = NULL;
    if (r->spec->jwt_alg >= JWT_ALG_RS256) {
        /* The classic confusion: HS256 keyed with the bytes the verifier holds as the
         * public key. */
        char hc[256];
        snprintf(hc, sizeof hc, "{\"alg\":\"HS256\",\"kid\":\"%.*s\",\"typ\":\"JWT\"}",
                 (int)r->key.kid.len, r->key.kid.ptr ? r->key.kid.ptr : "");
        char *he = b64url_encode((const uint8_t *)hc, strlen(hc));
        char *input = malloc(strlen(he) + strlen(p) + 2);
        sprintf(input, "%s.%s", he, p);
        uint8_t mac[64];
        size_t mac_len = 0;
        if (EVP_Q_mac(NULL, "HMAC", NULL, "SHA256", NULL, r->jwt_key, (size_t)r->jwt_key_len,
                      (const uint8_t *)input, strlen(input), mac, sizeof mac, &mac_len) == NULL) {
            die("EVP_Q_mac failed", NULL);
        }
        char *se = b64url_encode(mac, mac_len);
        out[7] = join3(he, p, se);
        free(he);
        free(input);
        free(se);
    }
    free(h);
    free(p);
    free(s);
    free(json);
    free(p2);
    free(hn);
}

static const char *const JWT_VERDICT_NAMES[] = {"accepted", "refused by jwt_decode",
                                                "refused by the caller's alg check",
                                                "refused by the caller's claim checks"};

static void check_verdicts(void) {
    size_t len;
    char *bad_json = read_file("benches/data/tokens.json", &len);
    for (size_t i = 0; i < N_ROWS; i++) {
        const struct row *r = &rows[i];
        tokengate_status st = tg_verify(r, r->token);
        if (st != TOKENGATE_STATUS_OK) {
            fprintf(stderr, "FAIL %s: tokengate refused the valid token: %s\n", r->spec->label,
                    tokengate_status_str(st));
            failures++;
        }
        enum jwt_verdict jv = jwt_verify(r, r->token);
        if (jv != JWT_ACCEPTED) {
            fprintf(stderr, "FAIL %s: libjwt %s the valid token\n", r->spec->label,
                    JWT_VERDICT_NAMES[jv]);
            failures++;
        }
        char *bad[N_CASES];
        bad_tokens(r, bad_json, bad);
        for (int c = 0; c < N_CASES; c++) {
            if (bad[c] == NULL) {
                continue;
            }
            tallies[c].tokens++;
            st = tg_verify(r, bad[c]);
            if (st != TOKENGATE_STATUS_OK) {
                tallies[c].tg_refused++;
            } else {
                fprintf(stderr, "FAIL %s, %s: tokengate accepted it\n", r->spec->label,
                        CASE_NAMES[c]);
                failures++;
            }
            jv = jwt_verify(r, bad[c]);
            tallies[c].jwt_by[jv]++;
            if (jv == JWT_ACCEPTED) {
                fprintf(stderr, "FAIL %s, %s: libjwt (with the caller's checks) accepted it\n",
                        r->spec->label, CASE_NAMES[c]);
                failures++;
            }
            free(bad[c]);
        }
    }
    free(bad_json);
}

/* ---- Heap calls and time ---------------------------------------------------------------- */

static int tg_once(const struct row *r) {
    return tg_verify(r, r->token) == TOKENGATE_STATUS_OK ? 0 : 1;
}

static int jwt_once(const struct row *r) {
    return jwt_verify(r, r->token) == JWT_ACCEPTED ? 0 : 1;
}

/* The per-call key handling of each, alone. tokengate: tokengate_key_check, the conversion and
 * checks a verification does on its key (RSA: the Montgomery constants too), and a little more
 * (the curve-point check a verification does when it tries the key). libjwt 1.10: what its
 * jwt_decode does with a PEM key on every call (PEM_read_bio_PUBKEY from a memory BIO). */
static int tg_key_once(const struct row *r) {
    return tokengate_key_check(&r->key) == TOKENGATE_STATUS_OK ? 0 : 1;
}

static int pem_once(const struct row *r) {
    BIO *bio = BIO_new_mem_buf(r->jwt_key, r->jwt_key_len);
    EVP_PKEY *key = bio ? PEM_read_bio_PUBKEY(bio, NULL, NULL, NULL) : NULL;
    BIO_free(bio);
    EVP_PKEY_free(key);
    return key != NULL ? 0 : 1;
}

/* Heap calls of one verification, after `warm` verifications (lazy initialization done). */
static struct heap heap_of(int (*f)(const struct row *), const struct row *r, int warm) {
    for (int i = 0; i < warm; i++) {
        if (f(r) != 0) {
            die("a valid token was refused while counting", r->spec->label);
        }
    }
    heap = (struct heap){0, 0, 0, 0};
    counting = true;
    int bad = f(r);
    counting = false;
    if (bad) {
        die("a valid token was refused while counting", r->spec->label);
    }
    return heap;
}

static double clock_ns(clockid_t clock) {
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static double now_ns(void) {
    return clock_ns(CLOCK_MONOTONIC);
}

/* Nanoseconds per call over `iters` calls: wall-clock (returned) and this thread's CPU time
 * (`cpu`), which leaves out the time the thread waited for a core on a busy machine. */
static double ns_per_call(int (*f)(const struct row *), const struct row *r, long iters,
                          double *cpu) {
    double c0 = clock_ns(CLOCK_THREAD_CPUTIME_ID), t0 = now_ns();
    for (long i = 0; i < iters; i++) {
        if (f(r) != 0) {
            die("a valid token was refused while timing", r->spec->label);
        }
    }
    double t1 = now_ns(), c1 = clock_ns(CLOCK_THREAD_CPUTIME_ID);
    *cpu = (c1 - c0) / (double)iters;
    return (t1 - t0) / (double)iters;
}

/* Calls that take about `target_ns`, from a 20 ms probe. */
static long calibrate(int (*f)(const struct row *), const struct row *r, double target_ns) {
    long n = 0;
    double t0 = now_ns(), t;
    do {
        f(r);
        n++;
        t = now_ns() - t0;
    } while (t < 20e6);
    long iters = (long)(target_ns / (t / (double)n));
    return iters < 10 ? 10 : iters;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

#define ROUNDS 7

static double median(const double v[ROUNDS]) {
    double sorted[ROUNDS];
    memcpy(sorted, v, sizeof sorted);
    qsort(sorted, ROUNDS, sizeof(double), cmp_double);
    return sorted[ROUNDS / 2];
}

/* The median of the rounds' a / b: each pair measured back to back, under the same load. */
static double median_ratio(const double a[ROUNDS], const double b[ROUNDS]) {
    double r[ROUNDS];
    for (int i = 0; i < ROUNDS; i++) {
        r[i] = a[i] / b[i];
    }
    return median(r);
}

/* (slowest - fastest) / fastest of the rounds. */
static double spread(const double v[ROUNDS]) {
    double lo = v[0], hi = v[0];
    for (int i = 1; i < ROUNDS; i++) {
        lo = v[i] < lo ? v[i] : lo;
        hi = v[i] > hi ? v[i] : hi;
    }
    return (hi - lo) / lo;
}
#define ROUND_NS 150e6 /* per measurement, token and round */

static void fmt_us(char *out, size_t n, double ns) {
    double us = ns / 1e3;
    if (us < 10) snprintf(out, n, "%.2f µs", us);
    else if (us < 100) snprintf(out, n, "%.1f µs", us);
    else snprintf(out, n, "%.0f µs", us);
}

/* As fmt_us, without the unit. */
static void fmt_num(char *out, size_t n, double ns) {
    char with_unit[32];
    fmt_us(with_unit, sizeof with_unit, ns);
    snprintf(out, n, "%.*s", (int)(strlen(with_unit) - strlen(" µs")), with_unit);
}

int main(int argc, char **argv) {
    bool check = false;
    int a = 1;
    if (a < argc && strcmp(argv[a], "--check") == 0) {
        check = true;
        a++;
    }
    if (a + 1 != argc) {
        fprintf(stderr, "usage: libjwt_compare [--check] REPO_ROOT\n");
        return 2;
    }
    root = argv[a];

    /* The counter must see allocations made inside a shared library, or every "0" below would
     * mean nothing: glibc's strdup allocates with malloc, through the PLT. (Called through a
     * volatile pointer: the compiler may drop a strdup whose result is only freed.) */
    char *(*volatile dup)(const char *) = strdup;
    counting = true;
    heap = (struct heap){0, 0, 0, 0};
    char *probe = dup("probe");
    free(probe);
    counting = false;
    if (heap.allocs != 1 || heap.frees != 1 || heap.bytes != 6) {
        fprintf(stderr, "FAIL: the heap counter missed glibc's own allocation (%zu, %zu, %zu)\n",
                heap.allocs, heap.frees, heap.bytes);
        return 1;
    }

    load_rows();

    check_verdicts();
    printf("Verdicts (%zu valid tokens, both accept each; every bad token refused by both):\n\n",
           N_ROWS);
    printf("| bad token | tokens | tokengate | libjwt 1.10 + caller's checks |\n"
           "|---|---:|---|---|\n");
    for (int c = 0; c < N_CASES; c++) {
        const struct tally *t = &tallies[c];
        char how[256] = "";
        size_t used = 0;
        for (int v = 0; v < 4; v++) {
            if (t->jwt_by[v] > 0) {
                used += (size_t)snprintf(how + used, sizeof how - used, "%s%s %d", used ? "; " : "",
                                         JWT_VERDICT_NAMES[v], t->jwt_by[v]);
            }
        }
        printf("| %s | %d | refused %d | %s |\n", CASE_NAMES[c], t->tokens, t->tg_refused, how);
    }
    printf("\n");

    struct heap tg_heap[N_ROWS], jwt_heap[N_ROWS];
    for (size_t i = 0; i < N_ROWS; i++) {
        tg_heap[i] = heap_of(tg_once, &rows[i], 2);
        jwt_heap[i] = heap_of(jwt_once, &rows[i], 2);
        if (tg_heap[i].allocs != 0 || tg_heap[i].frees != 0) {
            fprintf(stderr, "FAIL %s: tokengate made %zu allocations and %zu frees in a verify\n",
                    rows[i].spec->label, tg_heap[i].allocs, tg_heap[i].frees);
            failures++;
        }
    }

    if (check) {
        printf("| token | tokengate allocations | libjwt allocations | libjwt bytes |\n"
               "|---|---:|---:|---:|\n");
        for (size_t i = 0; i < N_ROWS; i++) {
            printf("| %s | %zu | %zu | %zu |\n", rows[i].spec->label, tg_heap[i].allocs,
                   jwt_heap[i].allocs, jwt_heap[i].bytes);
        }
        printf("\n%s\n", failures ? "c-bench check FAILED" : "c-bench check passed");
        return failures ? 1 : 0;
    }
    if (failures) {
        fprintf(stderr, "verdicts or allocations wrong: no timing\n");
        return 1;
    }

    /* Per token: the two verifies, and each one's key handling alone (tokengate_key_check;
     * libjwt's PEM parse, for the PEM keys: an HMAC secret is used as it is). */
    enum { TG, TG_KEY, JWT, PEM, N_MEASURES };
    int (*const measured[N_MEASURES])(const struct row *) = {tg_once, tg_key_once, jwt_once,
                                                             pem_once};
    long iters[N_ROWS][N_MEASURES];
    for (size_t i = 0; i < N_ROWS; i++) {
        for (int m = 0; m < N_MEASURES; m++) {
            bool none = m == PEM && rows[i].spec->secret != NULL;
            iters[i][m] = none ? 0 : calibrate(measured[m], &rows[i], ROUND_NS);
        }
    }
    static double ns[N_ROWS][N_MEASURES][ROUNDS], cpu[N_ROWS][N_MEASURES][ROUNDS];
    for (int round = 0; round < ROUNDS; round++) {
        for (size_t i = 0; i < N_ROWS; i++) {
            /* Back and forth, so that a change of load favours neither library. */
            for (int k = 0; k < N_MEASURES; k++) {
                int m = round % 2 == 0 ? k : N_MEASURES - 1 - k;
                ns[i][m][round] = iters[i][m] ? ns_per_call(measured[m], &rows[i], iters[i][m],
                                                            &cpu[i][m][round])
                                              : 0;
            }
        }
    }

    printf("| token | tokengate: wall (CPU) | allocations | bytes | libjwt 1.10: wall (CPU) | "
           "allocations | bytes | libjwt / tokengate: wall (CPU) |\n"
           "|---|---:|---:|---:|---:|---:|---:|---:|\n");
    double worst_spread = 0, worst_cpu_spread = 0;
    const char *worst = "", *worst_cpu = "";
    for (size_t i = 0; i < N_ROWS; i++) {
        double tg = median(ns[i][TG]), jw = median(ns[i][JWT]);
        for (int m = 0; m < N_MEASURES; m++) {
            double sp = iters[i][m] ? spread(ns[i][m]) : 0;
            if (sp > worst_spread) {
                worst_spread = sp;
                worst = rows[i].spec->label;
            }
            sp = iters[i][m] ? spread(cpu[i][m]) : 0;
            if (sp > worst_cpu_spread) {
                worst_cpu_spread = sp;
                worst_cpu = rows[i].spec->label;
            }
        }
        double tg_cpu = median(cpu[i][TG]), jw_cpu = median(cpu[i][JWT]);
        char tgs[32], jws[32], tgc[32], jwc[32];
        fmt_us(tgs, sizeof tgs, tg);
        fmt_us(jws, sizeof jws, jw);
        fmt_num(tgc, sizeof tgc, tg_cpu);
        fmt_num(jwc, sizeof jwc, jw_cpu);
        printf("| %s | %s (%s) | %zu | %zu | %s (%s) | %zu | %zu | %.1f× (%.1f×) |\n",
               rows[i].spec->label, tgs, tgc, tg_heap[i].allocs, tg_heap[i].bytes, jws, jwc,
               jwt_heap[i].allocs, jwt_heap[i].bytes, jw / tg, jw_cpu / tg_cpu);
    }
    printf("\nTimes: median of %d rounds, each about %.2f s per measurement and token, the "
           "libraries alternating within each round: wall-clock (CLOCK_MONOTONIC) and, in "
           "brackets, the thread's CPU time (CLOCK_THREAD_CPUTIME_ID, which leaves out time "
           "spent waiting for a core). Wall-clock rounds of one measurement differ by up to "
           "%.0f%% (%s), CPU-time rounds by up to %.0f%% (%s). Heap calls: one verification after "
           "two warm-up calls. Run-time OpenSSL: %s.\n",
           ROUNDS, ROUND_NS / 1e9, 100 * worst_spread, worst, 100 * worst_cpu_spread, worst_cpu,
           OpenSSL_version(OPENSSL_VERSION));

    /* Whether libjwt's blocks are all freed by the end of a verify. */
    size_t leaky = 0;
    for (size_t i = 0; i < N_ROWS; i++) {
        if (jwt_heap[i].allocs - jwt_heap[i].reallocs != jwt_heap[i].frees) {
            printf("\nlibjwt, %s: %zu allocations (%zu of them reallocs of a block), %zu frees: "
                   "%zd blocks left after the verify.\n",
                   rows[i].spec->label, jwt_heap[i].allocs, jwt_heap[i].reallocs,
                   jwt_heap[i].frees,
                   (ssize_t)(jwt_heap[i].allocs - jwt_heap[i].reallocs - jwt_heap[i].frees));
            leaky++;
        }
    }
    if (leaky == 0) {
        printf("\nEvery block libjwt allocates during a verify is freed by its end (allocations "
               "include reallocs of a block: HS256 %zu, ES256 %zu, RS256-2048 %zu).\n",
               jwt_heap[0].reallocs, jwt_heap[3].reallocs, jwt_heap[5].reallocs);
    }

    printf("\nThe key handling alone, per call, timed in the same rounds: wall-clock medians, "
           "and its share of the verify as the median of the rounds' ratios of CPU time:\n\n"
           "| token | tokengate_key_check | share of tokengate's verify | "
           "libjwt's PEM_read_bio_PUBKEY | allocations | bytes | share of libjwt's verify |\n"
           "|---|---:|---:|---:|---:|---:|---:|\n");
    for (size_t i = 0; i < N_ROWS; i++) {
        char ks[32], ps[32] = "–", pa[32] = "–", pb[32] = "–", pshare[32] = "–";
        fmt_us(ks, sizeof ks, median(ns[i][TG_KEY]));
        if (iters[i][PEM] != 0) {
            struct heap h = heap_of(pem_once, &rows[i], 2);
            fmt_us(ps, sizeof ps, median(ns[i][PEM]));
            snprintf(pa, sizeof pa, "%zu", h.allocs);
            snprintf(pb, sizeof pb, "%zu", h.bytes);
            snprintf(pshare, sizeof pshare, "%.0f%%",
                     100 * median_ratio(cpu[i][PEM], cpu[i][JWT]));
        }
        printf("| %s | %s | %.0f%% | %s | %s | %s | %s |\n", rows[i].spec->label, ks,
               100 * median_ratio(cpu[i][TG_KEY], cpu[i][TG]), ps, pa, pb, pshare);
    }
    return 0;
}
