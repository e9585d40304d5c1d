/* A build tool: writes the C file that embeds the data files into the binary
 * (embedded.h). usage: embed_gen OUT.c NAME=FILE...  where NAME is the
 * embedded path ("profiles/vscode-1.101.json"). The output depends only on
 * the names and the bytes, in the order given, so the build is reproducible. */
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: embed_gen OUT.c NAME=FILE...\n");
        return 2;
    }
    char *tmp = malloc(strlen(argv[1]) + 5);
    if (!tmp)
        return 1;
    sprintf(tmp, "%s.tmp", argv[1]);
    FILE *out = fopen(tmp, "w");
    if (!out) {
        fprintf(stderr, "embed_gen: %s: %s\n", tmp, strerror(errno));
        return 1;
    }
    fputs("/* Written by harness/data/embed_gen.c: do not edit. */\n"
          "#include \"embedded.h\"\n\n",
          out);
    uint64_t h = 1469598103934665603ULL; /* FNV-1a 64 */
    for (int i = 2; i < argc; i++) {
        char *eq = strchr(argv[i], '=');
        if (!eq) {
            fprintf(stderr, "embed_gen: %s: not NAME=FILE\n", argv[i]);
            return 2;
        }
        FILE *in = fopen(eq + 1, "rb");
        if (!in) {
            fprintf(stderr, "embed_gen: %s: %s\n", eq + 1, strerror(errno));
            return 1;
        }
        for (const char *c = argv[i]; c < eq + 1; c++)
            h = (h ^ (unsigned char)*c) * 1099511628211ULL;
        fprintf(out, "static const unsigned char f%d[] = {", i - 2);
        int c;
        long n = 0;
        while ((c = fgetc(in)) != EOF) {
            h = (h ^ (unsigned)c) * 1099511628211ULL;
            fprintf(out, "%s%d,", n % 24 == 0 ? "\n" : "", c);
            n++;
        }
        fclose(in);
        fputs("0};\n", out);
    }
    fputs("\nconst mc_embedded_file mc_embedded_files[] = {\n", out);
    for (int i = 2; i < argc; i++) {
        char *eq = strchr(argv[i], '=');
        fprintf(out, "    {\"%.*s\", f%d, sizeof f%d - 1},\n", (int)(eq - argv[i]), argv[i], i - 2,
                i - 2);
    }
    fprintf(out,
            "    {0, 0, 0}};\nconst size_t mc_embedded_count = %d;\n"
            "const char mc_embedded_digest[] = \"%016" PRIx64 "\";\n",
            argc - 2, h);
    if (fclose(out) != 0 || rename(tmp, argv[1]) != 0) {
        fprintf(stderr, "embed_gen: %s: %s\n", argv[1], strerror(errno));
        return 1;
    }
    free(tmp);
    return 0;
}
