/* The C tests' harness: counts passed and failed checks, prints each failure with its line.
 * Each test program includes it once (its counters are that program's). */
#ifndef TOKENGATE_TEST_CHECK_H
#define TOKENGATE_TEST_CHECK_H

#include <stdio.h>

#include "tokengate.h"

static int passed;
static int failed;

#define CHECK(cond, ...)                                                                      \
    do {                                                                                      \
        if (cond) {                                                                           \
            passed++;                                                                         \
        } else {                                                                              \
            failed++;                                                                         \
            printf("FAIL %s:%d: ", __FILE__, __LINE__);                                       \
            printf(__VA_ARGS__);                                                              \
            printf("\n");                                                                     \
        }                                                                                     \
    } while (0)

#define CHECK_STATUS(got, want, what)                                                         \
    do {                                                                                      \
        tokengate_status got_ = (got);                                                        \
        CHECK(got_ == (want), "%s: got %s, want %s", (what), tokengate_status_str(got_),      \
              tokengate_status_str(want));                                                    \
    } while (0)

#endif /* TOKENGATE_TEST_CHECK_H */
