/*
 * Flag parsing for gotk commands, compatible with the cobra/pflag parsing flux
 * uses, down to its error texts: `--name=value`, `--name value`, `-n value`,
 * `-nvalue`, booleans alone or `=true|false`, string lists comma-separated and
 * repeatable, durations in Go syntax, `--` ending the flags. Flags and positional
 * arguments may be mixed.
 */
#ifndef GOTK_CLI_FLAGS_H
#define GOTK_CLI_FLAGS_H

#include <stdbool.h>
#include <stddef.h>

#include "gotk/core.h"

typedef enum { FLAG_STRING, FLAG_BOOL, FLAG_DURATION, FLAG_STRINGS, FLAG_INT } cli_flag_kind;

/* A list of strings from a repeatable, comma-separated flag. */
typedef struct {
    char **items;
    size_t n;
} cli_strings;

/* Optional check of a value (e.g. an enum); returns an error message or NULL. */
typedef gotk_err *(*cli_flag_check)(const char *value);

typedef struct {
    const char *name;  /* long name, without dashes */
    char shorthand;    /* 0 for none */
    cli_flag_kind kind;
    void *target;      /* const char **, bool *, gotk_duration *, cli_strings *, int * */
    const char *help;
    cli_flag_check check;
    bool set;          /* given on the command line */
} cli_flag;

/* Parse argv[0..argc) (argv[0] is the first argument, not the command name)
 * against `flags`. Positional arguments are returned in *pos (a new array of
 * borrowed pointers, caller frees the array). --help/-h sets *help. */
gotk_err *cli_parse(int argc, char **argv, cli_flag *flags, size_t nflags, char ***pos,
                    int *npos, bool *help);
/* Print "Flags:" lines for --help. */
void cli_print_flags(const cli_flag *flags, size_t nflags);
void cli_strings_free(cli_strings *s);
/* Whether a flag by that name was given. */
bool cli_flag_given(const cli_flag *flags, size_t nflags, const char *name);

#endif
