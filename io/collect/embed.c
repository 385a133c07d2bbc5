/* stg-embed INPUT OUTPUT: writes OUTPUT, a C file that defines the
 * bytes of INPUT as stg_collect_script (io/collect/collect_script.h).
 * A build tool (io/collect/meson.build runs it): the collection script
 * is kept as the .ps1 file that is also installed, and the program
 * carries the same bytes. */
#include <stdio.h>

int main(int argc, char **argv)
{
    FILE *in = NULL, *out = NULL;
    unsigned long n = 0;
    int c, status = 1;
    if (argc != 3) {
        fprintf(stderr, "usage: stg-embed INPUT OUTPUT\n");
        return 2;
    }
    in = fopen(argv[1], "rb");
    out = fopen(argv[2], "w");
    if (!in || !out) {
        perror(!in ? argv[1] : argv[2]);
        goto out;
    }
    fprintf(out, "/* generated from %s by io/collect/embed.c: do not edit */\n"
                 "#include \"io/collect/collect_script.h\"\n\n"
                 "const unsigned char stg_collect_script[] = {", argv[1]);
    while ((c = getc(in)) != EOF) {
        fprintf(out, "%s0x%02x,", n % 12 ? " " : "\n    ", (unsigned)c);
        n++;
    }
    fprintf(out, "\n    0x00\n};\n\nconst size_t stg_collect_script_len = %luu;\n", n);
    if (ferror(in))
        perror(argv[1]);
    else if (fflush(out) || ferror(out))
        perror(argv[2]);
    else
        status = 0;
out:
    if (in)
        fclose(in);
    if (out && fclose(out) && status == 0) {
        perror(argv[2]);
        status = 1;
    }
    if (status && out)
        remove(argv[2]);
    return status;
}
