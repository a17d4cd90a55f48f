/* A door gate in C: verify a bearer token against provisioned keys and a policy in flash, then
 * open only for a token that grants door:open. Built by scripts/c-check through CMake; the README
 * shows it. */
#include <stdio.h>
#include <string.h>

#include "tokengate.h"
#include "keys.h" /* `tokengate keys import --jwks issuer-keys.json --format c --out keys.c` */

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
    .leeway = 30,
};

/* 3.5 KiB of working memory, not on a small stack. */
static tokengate_buffers buffers;

/* tests/data/tokens/es256.jwt */
static const char TOKEN[] =
    "eyJhbGciOiJFUzI1NiIsImtpZCI6ImVzMjU2LXRlc3QiLCJ0eXAiOiJKV1QifQ."
    "eyJpc3MiOiJodHRwczovL2lzc3Vlci50b2tlbmdhdGUudGVzdCIsInN1YiI6ImRldmljZS1vcGVyYXRvciIsImF1"
    "ZCI6ImRvb3ItMTciLCJpYXQiOjE3NjcyMjU2MDAsImV4cCI6NDEwMjQ0NDgwMCwic2NvcGUiOiJkb29yOm9wZW4g"
    "ZG9vcjpzdGF0dXMiLCJqdGkiOiJzYW1wbGUtMSJ9."
    "kM7tK0-jFaTE_hhvJerCWOoKFSqYNviZqQa8fEYqGdItuSCKmZr6PrkYt8IRQSaGVnLXu2nIRf9vAEqCelvo7g";

int main(void) {
    const uint64_t now = 1767229200; /* from a clock the device trusts */
    tokengate_claims claims;
    tokengate_status status =
        tokengate_verify(tokengate_keys, TOKENGATE_KEYS_COUNT, &POLICY, now,
                         (const uint8_t *)TOKEN, strlen(TOKEN), &buffers, &claims);
    if (status != TOKENGATE_STATUS_OK) {
        printf("door-17: refused (%s)\n", tokengate_status_str(status));
        return 1;
    }
    if (!tokengate_has_scope(&claims, "door:open", strlen("door:open"))) {
        printf("door-17: refused (no door:open)\n");
        return 1;
    }
    printf("door-17: open for %.*s\n", (int)claims.sub.len, claims.sub.ptr);
    return 0;
}
