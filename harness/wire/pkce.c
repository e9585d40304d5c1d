#include "pkce.h"

#include "buf.h"

#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <string.h>

char *mc_b64url(const unsigned char *data, size_t len)
{
    char *out = mc_xmalloc(4 * ((len + 2) / 3) + 1);
    int n = EVP_EncodeBlock((unsigned char *)out, data, (int)len);
    while (n > 0 && out[n - 1] == '=')
        n--;
    out[n] = '\0';
    for (char *p = out; *p; p++) {
        if (*p == '+')
            *p = '-';
        else if (*p == '/')
            *p = '_';
    }
    return out;
}

char *mc_random_b64url(size_t nbytes)
{
    unsigned char raw[96];
    if (nbytes > sizeof raw || RAND_bytes(raw, (int)nbytes) != 1)
        return NULL;
    char *s = mc_b64url(raw, nbytes);
    memset(raw, 0, sizeof raw);
    return s;
}

char *mc_pkce_verifier(void)
{
    return mc_random_b64url(32);
}

char *mc_pkce_s256(const char *verifier)
{
    unsigned char digest[SHA256_DIGEST_LENGTH];
    SHA256((const unsigned char *)verifier, strlen(verifier), digest);
    return mc_b64url(digest, sizeof digest);
}

int mc_pkce_verifier_valid(const char *v)
{
    size_t n = v ? strlen(v) : 0;
    if (n < 43 || n > 128)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = v[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '.' || c == '_' || c == '~'))
            return 0;
    }
    return 1;
}
