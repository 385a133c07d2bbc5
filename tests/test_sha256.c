/* Tests for io/write/sha256: the FIPS 180-4 / NIST example vectors. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "io/write/sha256.h"

START_TEST(empty)
{
    char hex[STG_SHA256_HEX];
    stg_sha256("", 0, hex);
    ck_assert_str_eq(hex, "e3b0c44298fc1c149afbf4c8996fb924"
                          "27ae41e4649b934ca495991b7852b855");
}
END_TEST

START_TEST(abc)
{
    char hex[STG_SHA256_HEX];
    stg_sha256("abc", 3, hex);
    ck_assert_str_eq(hex, "ba7816bf8f01cfea414140de5dae2223"
                          "b00361a396177a9cb410ff61f20015ad");
}
END_TEST

START_TEST(two_blocks)
{
    const char *m = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    char hex[STG_SHA256_HEX];
    ck_assert_uint_eq(strlen(m), 56);
    stg_sha256(m, strlen(m), hex);
    ck_assert_str_eq(hex, "248d6a61d20638b8e5c026930c3e6039"
                          "a33ce45964ff2167f6ecedd419db06c1");
}
END_TEST

START_TEST(million_a)
{
    char hex[STG_SHA256_HEX];
    char chunk[1000];
    memset(chunk, 'a', sizeof chunk);
    stg_sha256_ctx c;
    stg_sha256_init(&c);
    for (int i = 0; i < 1000; i++)
        stg_sha256_update(&c, chunk, sizeof chunk);
    stg_sha256_final(&c, hex);
    ck_assert_str_eq(hex, "cdc76e5c9914fb9281a1c7e284d73e67"
                          "f1809a48a497200e046d39ccc7112cd0");
    /* the same in one call */
    char *all = malloc(1000000);
    ck_assert_ptr_nonnull(all);
    memset(all, 'a', 1000000);
    stg_sha256(all, 1000000, hex);
    free(all);
    ck_assert_str_eq(hex, "cdc76e5c9914fb9281a1c7e284d73e67"
                          "f1809a48a497200e046d39ccc7112cd0");
}
END_TEST

/* Feeding the bytes in any split gives the same digest (block edges). */
START_TEST(split_updates)
{
    unsigned char msg[200];
    for (int i = 0; i < 200; i++)
        msg[i] = (unsigned char)(i * 7 + 3);
    for (size_t len = 0; len <= sizeof msg; len++) {
        char whole[STG_SHA256_HEX];
        stg_sha256(msg, len, whole);
        for (size_t cut = 0; cut <= len; cut += 13) {
            char part[STG_SHA256_HEX];
            stg_sha256_ctx c;
            stg_sha256_init(&c);
            stg_sha256_update(&c, msg, cut);
            stg_sha256_update(&c, msg + cut, len - cut);
            stg_sha256_final(&c, part);
            ck_assert_str_eq(part, whole);
        }
    }
}
END_TEST

/* 55, 56 and 64 bytes: where the padding needs an extra block. */
START_TEST(padding_edges)
{
    char hex[STG_SHA256_HEX];
    char m[64];
    memset(m, 'a', sizeof m);
    stg_sha256(m, 55, hex);
    ck_assert_str_eq(hex, "9f4390f8d30c2dd92ec9f095b65e2b9a"
                          "e9b0a925a5258e241c9f1e910f734318");
    stg_sha256(m, 56, hex);
    ck_assert_str_eq(hex, "b35439a4ac6f0948b6d6f9e3c6af0f5f"
                          "590ce20f1bde7090ef7970686ec6738a");
    stg_sha256(m, 64, hex);
    ck_assert_str_eq(hex, "ffe054fe7ae0cb6dc65c3af9b61d5209"
                          "f439851db43d0ba5997337df154668eb");
}
END_TEST

static Suite *sha256_suite(void)
{
    Suite *s = suite_create("sha256");
    TCase *tc = tcase_create("vectors");
    tcase_add_test(tc, empty);
    tcase_add_test(tc, abc);
    tcase_add_test(tc, two_blocks);
    tcase_add_test(tc, million_a);
    tcase_add_test(tc, split_updates);
    tcase_add_test(tc, padding_edges);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(sha256_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
