/*
 * The hardware crypto hook on the host: external keys (tokengate_key.external_verify) whose
 * signature check is OpenSSL's libcrypto, standing in for a CryptoCell, an STM32 PKA, a secure
 * element or a PSA Crypto implementation. tokengate still parses the token, picks the key by kid,
 * binds it to its alg, checks the signature's length, the claims and the policy; the callback
 * only says valid or invalid. Built by scripts/c-check with ASan and UBSan.
 *
 * Usage: test_external REPO_ROOT
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/param_build.h>

#include "tokengate.h"
#include "keys.h"
#include "attack_tokens.h"
#include "check.h"

/* A callback answer no test uses: check for real. */
#define REALLY_CHECK INT32_MIN


/* What the "hardware" holds for one key: an OpenSSL key or an HMAC secret, and how often it was
 * asked. */
struct slot {
    EVP_PKEY *pkey;
    const uint8_t *secret;
    size_t secret_len;
    int calls;
    int answer_override; /* REALLY_CHECK, or the answer to give */
};

/* ECDSA (r || s, converted to DER) and RSA PKCS#1 v1.5 over the digest; HMAC over the signing
 * input. */
static int hardware_verify(void *handle, tokengate_alg alg, const uint8_t *digest,
                           size_t digest_len, const uint8_t *signing_input, size_t input_len,
                           const uint8_t *sig, size_t sig_len) {
    struct slot *slot = handle;
    slot->calls++;
    if (slot->answer_override != REALLY_CHECK) {
        return slot->answer_override;
    }
    if (alg == TOKENGATE_ALG_HS256) {
        uint8_t mac[EVP_MAX_MD_SIZE];
        unsigned int mac_len = 0;
        if (digest != NULL || digest_len != 0 || slot->secret == NULL ||
            HMAC(EVP_sha256(), slot->secret, (int)slot->secret_len, signing_input, input_len, mac,
                 &mac_len) == NULL) {
            return 0;
        }
        return mac_len == sig_len && CRYPTO_memcmp(mac, sig, sig_len) == 0
                   ? TOKENGATE_SIGNATURE_VALID
                   : 0;
    }
    if (slot->pkey == NULL || digest == NULL) {
        return 0;
    }
    uint8_t der[80];
    const uint8_t *to_check = sig;
    size_t check_len = sig_len;
    if (alg == TOKENGATE_ALG_ES256) {
        if (digest_len != 32 || sig_len != 64) {
            return 0;
        }
        ECDSA_SIG *s = ECDSA_SIG_new();
        BIGNUM *r = BN_bin2bn(sig, 32, NULL);
        BIGNUM *ss = BN_bin2bn(sig + 32, 32, NULL);
        if (s == NULL || r == NULL || ss == NULL || !ECDSA_SIG_set0(s, r, ss)) {
            ECDSA_SIG_free(s);
            BN_free(r);
            BN_free(ss);
            return 0;
        }
        uint8_t *p = der;
        int n = i2d_ECDSA_SIG(s, &p);
        ECDSA_SIG_free(s);
        if (n <= 0) {
            return 0;
        }
        to_check = der;
        check_len = (size_t)n;
    } else if (alg != TOKENGATE_ALG_RS256 || digest_len != 32) {
        return 0;
    }
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new(slot->pkey, NULL);
    int ok = ctx != NULL && EVP_PKEY_verify_init(ctx) == 1 &&
             EVP_PKEY_CTX_set_signature_md(ctx, EVP_sha256()) == 1 &&
             EVP_PKEY_verify(ctx, to_check, check_len, digest, digest_len) == 1;
    EVP_PKEY_CTX_free(ctx);
    return ok ? TOKENGATE_SIGNATURE_VALID : 0;
}

/* An OpenSSL public key from the material keys.c holds for tokengate (SEC1 point, RSA n). */
static EVP_PKEY *pkey_of(const tokengate_key *k) {
    OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
    BIGNUM *n = NULL;
    BIGNUM *e = NULL;
    const char *type;
    if (k->alg == TOKENGATE_ALG_ES256) {
        type = "EC";
        OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0);
        OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, k->material,
                                         k->material_len);
    } else {
        type = "RSA";
        n = BN_bin2bn(k->material, (int)k->material_len, NULL);
        e = BN_new();
        BN_set_word(e, k->rsa_exponent);
        OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, n);
        OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, e);
    }
    OSSL_PARAM *params = OSSL_PARAM_BLD_to_param(bld);
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, type, NULL);
    EVP_PKEY *pkey = NULL;
    if (ctx == NULL || EVP_PKEY_fromdata_init(ctx) != 1 ||
        EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params) != 1) {
        printf("OpenSSL refused the %s key\n", type);
        exit(2);
    }
    EVP_PKEY_CTX_free(ctx);
    OSSL_PARAM_free(params);
    OSSL_PARAM_BLD_free(bld);
    BN_free(n);
    BN_free(e);
    return pkey;
}

static char *read_token(const char *root, const char *name) {
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
    while (n > 0 && (data[n - 1] == '\n' || data[n - 1] == '\r')) {
        n--;
    }
    data[n] = '\0';
    return data;
}

static const tokengate_str ISSUERS[] = {TOKENGATE_STR("https://issuer.tokengate.test")};
static const tokengate_str AUDIENCES[] = {TOKENGATE_STR("door-17")};
static const tokengate_str SCOPES[] = {TOKENGATE_STR("door:open")};
static const tokengate_policy POLICY = {
    .issuers = ISSUERS,
    .n_issuers = 1,
    .audiences = AUDIENCES,
    .n_audiences = 1,
    .scopes = SCOPES,
    .n_scopes = 1,
};

static tokengate_buffers buffers;

static tokengate_status verify(const tokengate_key *keys, size_t n, const char *token,
                               tokengate_claims *claims) {
    return tokengate_verify(keys, n, &POLICY, TOKENGATE_TEST_NOW, (const uint8_t *)token,
                            strlen(token), &buffers, claims);
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s REPO_ROOT\n", argv[0]);
        return 2;
    }
    /* The "hardware": slots for the ES256 key, the RSA-2048 key and the HS256 secret of keys.c. */
    struct slot es = {.pkey = pkey_of(&tokengate_keys[0]), .answer_override = REALLY_CHECK};
    struct slot rs = {.pkey = pkey_of(&tokengate_keys[1]), .answer_override = REALLY_CHECK};
    struct slot hs = {.secret = tokengate_keys[5].material,
                      .secret_len = tokengate_keys[5].material_len,
                      .answer_override = REALLY_CHECK};
    /* External keys: alg, kid and the callback; no key material in tokengate. */
    const tokengate_key keys[] = {
        {.alg = TOKENGATE_ALG_ES256, .kid = TOKENGATE_STR("es256-test"),
         .external_verify = hardware_verify, .external_handle = &es},
        {.alg = TOKENGATE_ALG_RS256, .kid = TOKENGATE_STR("rs256-2048-test"),
         .external_verify = hardware_verify, .external_handle = &rs},
        {.alg = TOKENGATE_ALG_HS256, .external_verify = hardware_verify, .external_handle = &hs},
    };
    const size_t n = sizeof keys / sizeof keys[0];
    tokengate_claims claims;

    for (size_t i = 0; i < n; i++) {
        CHECK_STATUS(tokengate_key_check(&keys[i]), TOKENGATE_STATUS_OK, "external key check");
    }
    static const char *const names[] = {"es256", "rs256-2048", "hs256"};
    struct slot *slots[] = {&es, &rs, &hs};
    for (size_t i = 0; i < 3; i++) {
        const char *token = read_token(argv[1], names[i]);
        int before = slots[i]->calls;
        CHECK_STATUS(verify(keys, n, token, &claims), TOKENGATE_STATUS_OK, names[i]);
        CHECK(slots[i]->calls == before + 1, "%s: one call to the hardware", names[i]);
        CHECK(claims.sub.len == 15 && memcmp(claims.sub.ptr, "device-operator", 15) == 0,
              "%s: sub", names[i]);
        /* A tampered signature: the hardware says no. */
        static char tampered[8192];
        strcpy(tampered, token);
        char *sig = strrchr(tampered, '.') + 1;
        sig[0] = sig[0] == 'A' ? 'B' : 'A';
        CHECK_STATUS(verify(keys, n, tampered, &claims), TOKENGATE_STATUS_BAD_SIGNATURE,
                     names[i]);
    }
    /* The same token, the hardware failing or answering something else than 1: refused. */
    const char *token = read_token(argv[1], "es256");
    es.answer_override = 0;
    CHECK_STATUS(verify(keys, n, token, &claims), TOKENGATE_STATUS_BAD_SIGNATURE, "answer 0");
    es.answer_override = -5;
    CHECK_STATUS(verify(keys, n, token, &claims), TOKENGATE_STATUS_BAD_SIGNATURE, "answer -5");
    es.answer_override = 2;
    CHECK_STATUS(verify(keys, n, token, &claims), TOKENGATE_STATUS_BAD_SIGNATURE, "answer 2");
    es.answer_override = REALLY_CHECK;

    /* What stays in tokengate never reaches the hardware: alg binding, the signature length,
     * alg none, the claims and the policy. */
    int calls = es.calls + rs.calls + hs.calls;
    for (size_t i = 0; i < sizeof ATTACK_CASES / sizeof ATTACK_CASES[0]; i++) {
        const struct attack_case *c = &ATTACK_CASES[i];
        if (strncmp(c->name, "alg ", 4) == 0 || strcmp(c->name, "signature one byte short") == 0) {
            CHECK_STATUS(verify(keys, n, c->token, &claims), c->expected, c->name);
        }
    }
    CHECK(es.calls + rs.calls + hs.calls == calls, "no hardware call for refused algorithms");
    for (size_t i = 0; i < sizeof ATTACK_CASES / sizeof ATTACK_CASES[0]; i++) {
        const struct attack_case *c = &ATTACK_CASES[i];
        if (strcmp(c->name, "expired") == 0 || strcmp(c->name, "wrong audience") == 0 ||
            strcmp(c->name, "missing scope") == 0 || strcmp(c->name, "bad signature") == 0 ||
            strcmp(c->name, "valid HS256") == 0) {
            CHECK_STATUS(verify(keys, n, c->token, &claims), c->expected, c->name);
        }
    }
    /* An external key without a callback is a key with material: none here. */
    tokengate_key no_callback = keys[0];
    no_callback.external_verify = NULL;
    CHECK_STATUS(tokengate_key_check(&no_callback), TOKENGATE_STATUS_INVALID_KEY,
                 "no callback, no material");
    tokengate_key bad_alg = keys[0];
    bad_alg.alg = 99;
    CHECK_STATUS(tokengate_key_check(&bad_alg), TOKENGATE_STATUS_UNSUPPORTED_ALG, "alg 99");

    EVP_PKEY_free(es.pkey);
    EVP_PKEY_free(rs.pkey);
    printf("external-key tests: %d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
