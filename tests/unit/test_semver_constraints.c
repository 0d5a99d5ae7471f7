/*
 * semver constraints: Check (with and without include_prerelease), Validate's
 * reasons, the errors for bad constraints, String(), and Flux's helpers for
 * picking the latest tag. Expected answers come from Masterminds/semver v3:
 * its test tables and edge cases were run through the Go library and the
 * results written into the tables below.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "gotk/semver.h"

typedef struct {
    const char *constraint, *version;
    bool check;     /* Check() */
    bool check_pre; /* Check() with IncludePrerelease */
} check_case;

typedef struct {
    const char *constraint, *version;
    bool include_pre;
    bool ok;
    const char *reasons; /* Validate's messages, one per line */
} validate_case;

typedef struct {
    const char *constraint, *err;
} bad_constraint_case;

typedef struct {
    const char *constraint, *str;
} string_case;

/* generated from Masterminds/semver v3 (Constraints.Check, without and with IncludePrerelease) */
static const check_case check_cases[] = {
    {"=2.0.0", "1.2.3", false, false},
    {"=2.0.0", "2.0.0", true, true},
    {"=2.0", "1.2.3", false, false},
    {"=2.0", "2.0.0", true, true},
    {"=2.0", "2.0.1", true, true},
    {"4.1", "4.1.0", true, true},
    {"!=4.1.0", "4.1.0", false, false},
    {"!=4.1.0", "4.1.1", true, true},
    {"!=4.1", "4.1.0", false, false},
    {"!=4.1", "4.1.1", false, false},
    {"!=4.1", "5.1.0-alpha.1", false, true},
    {"!=4.1.0", "5.1.0-alpha.1", false, true},
    {"!=4.1-alpha", "4.1.0", true, true},
    {"!=4.1", "5.1.0", true, true},
    {"<11", "0.1.0", true, true},
    {"<11", "11.1.0", false, false},
    {"<1.1", "0.1.0", true, true},
    {"<1.1", "1.1.0", false, false},
    {"<1.1", "1.1.1", false, false},
    {"<=11", "1.2.3", true, true},
    {"<=11", "12.2.3", false, false},
    {"<=11", "11.2.3", true, true},
    {"<=1.1", "1.2.3", false, false},
    {"<=1.1", "0.1.0", true, true},
    {"<=1.1", "1.1.0", true, true},
    {"<=1.1", "1.1.1", true, true},
    {">1.1", "4.1.0", true, true},
    {">1.1", "1.1.0", false, false},
    {">0", "0", false, false},
    {">0", "1", true, true},
    {">0", "0.0.1-alpha", false, false},
    {">0.0", "0.0.1-alpha", false, false},
    {">0-0", "0.0.1-alpha", false, false},
    {">0.0-0", "0.0.1-alpha", false, false},
    {">0", "0.0.0-alpha", false, false},
    {">0-0", "0.0.0-alpha", false, false},
    {">0.0.0-0", "0.0.0-alpha", true, true},
    {">1.2.3-alpha.1", "1.2.3-alpha.2", true, true},
    {">1.2.3-alpha.1", "1.3.3-alpha.2", true, true},
    {">11", "11.1.0", false, false},
    {">11.1", "11.1.0", false, false},
    {">11.1", "11.1.1", false, false},
    {">11.1", "11.2.1", true, true},
    {">=11", "11.1.2", true, true},
    {">=11.1", "11.1.2", true, true},
    {">=11.1", "11.0.2", false, false},
    {">=1.1", "4.1.0", true, true},
    {">=1.1", "1.1.0", true, true},
    {">=1.1", "0.0.9", false, false},
    {">=0", "0.0.1-alpha", false, true},
    {">=0.0", "0.0.1-alpha", false, true},
    {">=0-0", "0.0.1-alpha", true, true},
    {">=0.0-0", "0.0.1-alpha", true, true},
    {">=0", "0.0.0-alpha", false, false},
    {">=0-0", "0.0.0-alpha", true, true},
    {">=0.0.0-0", "0.0.0-alpha", true, true},
    {">=0.0.0-0", "1.2.3", true, true},
    {">=0.0.0-0", "3.4.5-beta.1", true, true},
    {"<0", "0.0.0-alpha", false, true},
    {"<0-z", "0.0.0-alpha", true, true},
    {">=0", "0", true, true},
    {"=0", "1", false, false},
    {"*", "1", true, true},
    {"*", "4.5.6", true, true},
    {"*", "1.2.3-alpha.1", false, true},
    {"*-0", "1.2.3-alpha.1", true, true},
    {"2.*", "1", false, false},
    {"2.*", "3.4.5", false, false},
    {"2.*", "2.1.1", true, true},
    {"2.1.*", "2.1.1", true, true},
    {"2.1.*", "2.2.1", false, false},
    {"2", "1", false, false},
    {"2", "3.4.5", false, false},
    {"2", "2.1.1", true, true},
    {"2.1", "2.1.1", true, true},
    {"2.1", "2.2.1", false, false},
    {"~1.2.3", "1.2.4", true, true},
    {"~1.2.3", "1.3.4", false, false},
    {"~1.2", "1.2.4", true, true},
    {"~1.2", "1.3.4", false, false},
    {"~1", "1.2.4", true, true},
    {"~1", "2.3.4", false, false},
    {"~0.2.3", "0.2.5", true, true},
    {"~0.2.3", "0.3.5", false, false},
    {"~1.2.3-beta.2", "1.2.3-beta.4", true, true},
    {"~1.2.3-beta.2", "1.2.4-beta.2", true, true},
    {"~1.2.3-beta.2", "1.3.4-beta.2", false, false},
    {"^1.2.3", "1.8.9", true, true},
    {"^1.2.3", "2.8.9", false, false},
    {"^1.2.3", "1.2.1", false, false},
    {"^1.1.0", "2.1.0", false, false},
    {"^1.2.0", "2.2.1", false, false},
    {"^1.2.0", "1.2.1-alpha.1", false, true},
    {"^1.2.0-alpha.0", "1.2.1-alpha.1", true, true},
    {"^1.2.0-alpha.0", "1.2.1-alpha.0", true, true},
    {"^1.2.0-alpha.2", "1.2.0-alpha.1", false, false},
    {"^1.2", "1.8.9", true, true},
    {"^1.2", "2.8.9", false, false},
    {"^1", "1.8.9", true, true},
    {"^1", "2.8.9", false, false},
    {"^0.2.3", "0.2.5", true, true},
    {"^0.2.3", "0.5.6", false, false},
    {"^0.2", "0.2.5", true, true},
    {"^0.2", "0.5.6", false, false},
    {"^0.0.3", "0.0.3", true, true},
    {"^0.0.3", "0.0.4", false, false},
    {"^0.0", "0.0.3", true, true},
    {"^0.0", "0.1.4", false, false},
    {"^0.0", "1.0.4", false, false},
    {"^0", "0.2.3", true, true},
    {"^0", "1.1.4", false, false},
    {"^0.2.3-beta.2", "0.2.3-beta.4", true, true},
    {"^0.2.3-beta.2", "0.2.4-beta.2", true, true},
    {"^0.2.3-beta.2", "0.3.4-beta.2", false, false},
    {"^0.2.3-beta.2", "0.2.3-beta.2", true, true},
    {"*", "1.2.3", true, true},
    {"~0.0.0", "1.2.3", true, true},
    {"0.x.x", "1.2.3", false, false},
    {"0.0.x", "1.2.3", false, false},
    {"0.0.0", "1.2.3", false, false},
    {"^0.0.0", "1.2.3", false, false},
    {"= 2.0", "1.2.3", false, false},
    {"= 2.0", "2.0.0", true, true},
    {"4.1.x", "4.1.3", true, true},
    {"1.x", "1.4", true, true},
    {"!=4.1-alpha", "4.1.0-alpha", false, false},
    {"!=4.1-alpha", "4.1.1-alpha", false, false},
    {"!=4.x", "5.1.0", true, true},
    {"!=4.x", "4.1.0", false, false},
    {"!=4.1.x", "4.2.0", true, true},
    {"!=4.2.x", "4.2.3", false, false},
    {"<1.x", "1.1.1", false, false},
    {"<1.x", "0.1.1", true, true},
    {"<1.x", "2.0.0", false, false},
    {"<1.1.x", "1.2.1", false, false},
    {"<1.1.x", "1.1.500", false, false},
    {"<1.1.x", "1.0.500", true, true},
    {"<1.2.x", "1.1.1", true, true},
    {">=1.1", "4.1.0-beta", false, true},
    {"<=1.1", "0.1.0-alpha", false, true},
    {"<=1.1-a", "0.1.0-alpha", true, true},
    {"<=1.x", "1.1.0", true, true},
    {"<=2.x", "3.0.0", false, false},
    {"<=1.1.x", "1.2.500", false, false},
    {"<=4.5", "3.4.0", true, true},
    {"<=4.5", "3.7.0", true, true},
    {"<=4.5", "4.6.3", false, false},
    {">1.1, <2", "1.1.1", false, false},
    {">1.1, <2", "1.2.1", true, true},
    {">1.1, <3", "4.3.2", false, false},
    {">=1.1, <2, !=1.2.3", "1.2.3", false, false},
    {">1.1 <2", "1.1.1", false, false},
    {">1.1 <2", "1.2.1", true, true},
    {">1.1    <3", "4.3.2", false, false},
    {">=1.1    <2    !=1.2.3", "1.2.3", false, false},
    {">=1.1, <2, !=1.2.3 || > 3", "4.1.2", true, true},
    {">=1.1, <2, !=1.2.3 || > 3", "3.1.2", false, false},
    {">=1.1, <2, !=1.2.3 || >= 3", "3.0.0", true, true},
    {">=1.1, <2, !=1.2.3 || > 3", "3.0.0", false, false},
    {">=1.1, <2, !=1.2.3 || > 3", "1.2.3", false, false},
    {">=1.1 <2 !=1.2.3", "1.2.3", false, false},
    {">=1.1 <2 !=1.2.3 || > 3", "4.1.2", true, true},
    {">=1.1 <2 !=1.2.3 || > 3", "3.1.2", false, false},
    {">=1.1 <2 !=1.2.3 || >= 3", "3.0.0", true, true},
    {">=1.1 <2 !=1.2.3 || > 3", "3.0.0", false, false},
    {">=1.1 <2 !=1.2.3 || > 3", "1.2.3", false, false},
    {"> 1.1, <     2", "1.1.1", false, false},
    {">   1.1, <2", "1.2.1", true, true},
    {">1.1, <  3", "4.3.2", false, false},
    {">= 1.1, <     2, !=1.2.3", "1.2.3", false, false},
    {"> 1.1 < 2", "1.1.1", false, false},
    {">1.1 < 2", "1.2.1", true, true},
    {"> 1.1    <3", "4.3.2", false, false},
    {">=1.1    < 2    != 1.2.3", "1.2.3", false, false},
    {">= 1.1, <2, !=1.2.3 || > 3", "4.1.2", true, true},
    {">= 1.1, <2, != 1.2.3 || > 3", "3.1.2", false, false},
    {">= 1.1, <2, != 1.2.3 || >= 3", "3.0.0", true, true},
    {">= 1.1, <2, !=1.2.3 || > 3", "3.0.0", false, false},
    {">= 1.1, <2, !=1.2.3 || > 3", "1.2.3", false, false},
    {">= 1.1 <2 != 1.2.3", "1.2.3", false, false},
    {">= 1.1 <2 != 1.2.3 || > 3", "4.1.2", true, true},
    {">= 1.1 <2 != 1.2.3 || > 3", "3.1.2", false, false},
    {">= 1.1 <2 != 1.2.3 || >= 3", "3.0.0", true, true},
    {">= 1.1 < 2 !=1.2.3 || > 3", "3.0.0", false, false},
    {">=1.1 < 2 !=1.2.3 || > 3", "1.2.3", false, false},
    {">= 1.0.0  <= 2.0.0-beta", "1.0.1-beta", true, true},
    {">= 1.0.0  <= 2.0.0-beta", "1.0.1", true, true},
    {">= 1.0.0  <= 2.0.0-beta", "3.0.0", false, false},
    {">= 1.0.0  <= 2.0.0-beta || > 3", "1.0.1-beta", true, true},
    {">= 1.0.0  <= 2.0.0-beta || > 3", "3.0.1-beta", false, false},
    {">= 1.0.0  <= 2.0.0-beta != 1.0.1 || > 3", "1.0.1-beta", true, true},
    {">= 1.0.0  <= 2.0.0-beta != 1.0.1-beta || > 3", "1.0.1-beta", false, false},
    {">= 1.0.0-0  <= 2.0.0", "1.0.1-beta", true, true},
    {"1.1 - 2", "1.1.1", true, true},
    {"1.5.0 - 4.5", "3.7.0", true, true},
    {"1.1-3", "4.3.2", false, false},
    {"^1.1", "1.1.1", true, true},
    {"^1.1", "4.3.2", false, false},
    {"^1.x", "1.1.1", true, true},
    {"^2.x", "1.1.1", false, false},
    {"^1.x", "2.1.1", false, false},
    {"^1.x", "1.1.1-beta1", false, true},
    {"^1.1.2-alpha", "1.2.1-beta1", true, true},
    {"^1.2.x-alpha", "1.1.1-beta1", false, false},
    {"^0.0.1", "0.0.1", true, true},
    {"^0.0.1", "0.3.1", false, false},
    {"~*", "2.1.1", true, true},
    {"~1", "2.1.1", false, false},
    {"~1", "1.3.5", true, true},
    {"~1", "1.4", true, true},
    {"~1.x", "2.1.1", false, false},
    {"~1.x", "1.3.5", true, true},
    {"~1.x", "1.4", true, true},
    {"~1.1", "1.1.1", true, true},
    {"~1.1", "1.1.1-alpha", false, true},
    {"~1.1-alpha", "1.1.1-beta", true, true},
    {"~1.1.1-beta", "1.1.1-alpha", false, false},
    {"~1.1.1-beta", "1.1.1", true, true},
    {"~1.2.3", "1.2.5", true, true},
    {"~1.2.3", "1.2.2", false, false},
    {"~1.2.3", "1.3.2", false, false},
    {"~1.1", "1.2.3", false, false},
    {"~1.3", "2.4.5", false, false},
    {"1.0.0 - 2.0.0 <=2.0.0", "1.5.0", true, true},
    {"1.0.0 - 2.0.0, <=2.0.0", "1.5.0", true, true},
    {">1.1", "4.1.0-beta", false, true},
    {"<1.1", "0.1.0-alpha", false, true},
    {"*", "1.2.3-alpha", false, true},
    {"= 2.0", "2.0.1-beta", false, true},
    {"<2.x", "1.1.1", true, true},
    {"<1.x", "2.1.1", false, false},
    {"<=2.x", "3.1.0", false, false},
    {"^1.1", "1.1.1-alpha", false, true},
    {"^1.1.1-alpha", "1.1.1-beta", true, true},
    {"^1.1.1-beta", "1.1.1-alpha", false, false},
    {"^0.0.1", "0.1.3", false, false},
    {"~1", "1.3.5-beta", false, true},
    {"~1.x", "1.3.5-beta", false, true},
    {"~1.3.6-alpha", "1.3.5-beta", false, false},
    {"~1.3.5-alpha", "1.3.5-beta", true, true},
    {"~1.3.5-beta", "1.3.5-alpha", false, false},
    {">1.x", "2.0.0", true, true},
    {">1.x", "1.9.9", false, false},
    {">1.2.x", "1.3.0", true, true},
    {">1.2.x", "1.2.9", false, false},
    {">*", "1.0.0", true, true},
    {">*", "0.0.0", false, false},
    {">x", "0.0.1", true, true},
    {"<*", "1.0.0", false, false},
    {"<=*", "5.0.0", false, false},
    {">=*", "0.0.0", true, true},
    {"!=*", "1.0.0", true, true},
    {"^0.x", "0.9.0", true, true},
    {"^0.x", "1.0.0", false, false},
    {"^0.0.x", "0.0.5", true, true},
    {"^0.0.x", "0.1.0", false, false},
    {"^0.1.x", "0.1.9", true, true},
    {"^0.1.x", "0.2.0", false, false},
    {"^0", "0.9.9", true, true},
    {"^0.0", "0.0.9", true, true},
    {"^*", "3.0.0", false, false},
    {"^0.0.0", "0.0.0", true, true},
    {"~0", "0.9.0", true, true},
    {"~0", "1.0.0", false, false},
    {"~0.0", "0.0.9", true, true},
    {"~0.0", "0.1.0", false, false},
    {"~0.0.0", "9.9.9", true, true},
    {"~0.1", "0.1.5", true, true},
    {"~0.1", "0.2.0", false, false},
    {"~>1.2", "1.2.9", true, true},
    {"~>1.2", "1.3.0", false, false},
    {"~> 1.2.3", "1.2.9", true, true},
    {"1.2 - 1.4.5", "1.4.5", true, true},
    {"1.2 - 1.4.5", "1.4.6", false, false},
    {"1.2 - 1.4.5", "1.1.9", false, false},
    {"1.2 - 1.4.5", "1.3.0-beta", false, true},
    {"1.2.x - 2.x", "2.9.9", true, true},
    {"v1.2 - v1.4", "1.4.0", true, true},
    {"1 - 2 || 3 - 4", "3.5.0", true, true},
    {"=1.x", "1.5.0", true, true},
    {"1.x-beta", "1.0.0-beta", true, true},
    {"1.x-beta", "1.2.0-rc.1", true, true},
    {"!=1.2.x-beta", "1.2.3-alpha", true, true},
    {">=1.2.3-alpha <1.2.4", "1.2.3-beta", true, true},
    {">=1.2.3-alpha <1.2.4", "1.2.3", true, true},
    {"=1.2.3+meta", "1.2.3", true, true},
    {"1.2.3+meta", "1.2.3+other", true, true},
    {"v1.2.3", "1.2.3", true, true},
    {">=1,<2", "1.5.0", true, true},
    {">= 1.0.0-0 <= 2.0.0", "2.0.0-rc.1", true, true},
    {"1.x || 3.x", "2.0.0", false, false},
    {"1.x || 3.x", "3.1.0", true, true},
    {"<2.0.0-0", "2.0.0-alpha", false, false},
    {"<2.0.0-0", "1.9.9", true, true},
    {">2.0.0-beta <3", "2.0.0-rc.1", true, true},
    {">2.0.0-beta || <1", "2.0.0-rc.1", true, true},
    {"2024.x", "2024.01.05", true, true},
    {">=2024.1.0", "v2024.02.01", true, true},
};

/* generated from Masterminds/semver v3 (Constraints.Validate): the reasons, one per line */
static const validate_case validate_cases[] = {
    {"2.x", "1.2.3", false, false, "\"1.2.3\" is less than \"2.x\""},
    {"2", "1.2.3", false, false, "\"1.2.3\" is less than \"2\""},
    {"= 2.0", "1.2.3", false, false, "\"1.2.3\" is less than \"2.0\""},
    {"!=4.1", "4.1.0", false, false, "\"4.1.0\" is equal to \"4.1\""},
    {"!=4.x", "4.1.0", false, false, "\"4.1.0\" is equal to \"4.x\""},
    {"!=4.2.x", "4.2.3", false, false, "\"4.2.3\" is equal to \"4.2.x\""},
    {">1.1", "1.1.0", false, false, "\"1.1.0\" is less than or equal to \"1.1\""},
    {"<1.1", "1.1.0", false, false, "\"1.1.0\" is greater than or equal to \"1.1\""},
    {"<1.1", "1.1.1", false, false, "\"1.1.1\" is greater than or equal to \"1.1\""},
    {"<1.x", "2.1.1", false, false, "\"2.1.1\" is greater than or equal to \"1.x\""},
    {"<1.1.x", "1.2.1", false, false, "\"1.2.1\" is greater than or equal to \"1.1.x\""},
    {">=1.1", "0.0.9", false, false, "\"0.0.9\" is less than \"1.1\""},
    {"<=2.x", "3.1.0", false, false, "\"3.1.0\" is greater than \"2.x\""},
    {"<=1.1", "1.2.1", false, false, "\"1.2.1\" is greater than \"1.1\""},
    {"<=1.1.x", "1.2.500", false, false, "\"1.2.500\" is greater than \"1.1.x\""},
    {">1.1, <3", "4.3.2", false, false, "\"4.3.2\" is greater than or equal to \"3\""},
    {">=1.1, <2, !=1.2.3", "1.2.3", false, false, "\"1.2.3\" is equal to \"1.2.3\""},
    {">=1.1, <2, !=1.2.3 || > 3", "3.0.0", false, false, "\"3.0.0\" is greater than or equal to \"2\"\n\"3.0.0\" is less than or equal to \"3\""},
    {">=1.1, <2, !=1.2.3 || > 3", "1.2.3", false, false, "\"1.2.3\" is equal to \"1.2.3\"\n\"1.2.3\" is less than or equal to \"3\""},
    {"1.1 - 3", "4.3.2", false, false, "\"4.3.2\" is greater than \"3\""},
    {"^1.1", "4.3.2", false, false, "\"4.3.2\" does not have same major version as \"1.1\""},
    {"^1.12.7", "1.6.6", false, false, "\"1.6.6\" is less than \"1.12.7\""},
    {"^2.x", "1.1.1", false, false, "\"1.1.1\" is less than \"2.x\""},
    {"^1.x", "2.1.1", false, false, "\"2.1.1\" does not have same major version as \"1.x\""},
    {"^0.2", "0.3.0", false, false, "\"0.3.0\" does not have same minor version as \"0.2\". Expected minor versions to match when constraint major version is 0"},
    {"^0.2", "0.1.1", false, false, "\"0.1.1\" is less than \"0.2\""},
    {"^0.0.3", "0.1.1", false, false, "\"0.1.1\" does not have same minor version as \"0.0.3\""},
    {"^0.0.3", "0.0.4", false, false, "\"0.0.4\" does not equal \"0.0.3\". Expect version and constraint to equal when major and minor versions are 0"},
    {"^0.0.3", "0.0.2", false, false, "\"0.0.2\" is less than \"0.0.3\""},
    {"~1", "2.1.2", false, false, "\"2.1.2\" does not have same major version as \"1\""},
    {"~1.x", "2.1.1", false, false, "\"2.1.1\" does not have same major version as \"1.x\""},
    {"~1.2.3", "1.2.2", false, false, "\"1.2.2\" is less than \"1.2.3\""},
    {"~1.2.3", "1.3.2", false, false, "\"1.3.2\" does not have same major and minor version as \"1.2.3\""},
    {"~1.1", "1.2.3", false, false, "\"1.2.3\" does not have same major and minor version as \"1.1\""},
    {"~1.3", "2.4.5", false, false, "\"2.4.5\" does not have same major version as \"1.3\""},
    {"> 1.2.3", "1.2.3-beta.1", false, false, "\"1.2.3-beta.1\" is a prerelease version and the constraint is only looking for release versions"},
    {"> 1.2.3", "1.2.3-beta.1", true, false, "\"1.2.3-beta.1\" is less than or equal to \"1.2.3\""},
    {"< 1.2.3", "1.2.4-beta.1", false, false, "\"1.2.4-beta.1\" is a prerelease version and the constraint is only looking for release versions"},
    {"< 1.2.3", "1.2.4-beta.1", true, false, "\"1.2.4-beta.1\" is greater than or equal to \"1.2.3\""},
    {">= 1.2.3", "1.2.3-beta.1", false, false, "\"1.2.3-beta.1\" is a prerelease version and the constraint is only looking for release versions"},
    {">= 1.2.3", "1.2.3-beta.1", true, false, "\"1.2.3-beta.1\" is less than \"1.2.3\""},
    {"<= 1.2.3", "1.2.4-beta.1", false, false, "\"1.2.4-beta.1\" is a prerelease version and the constraint is only looking for release versions"},
    {"<= 1.2.3", "1.2.4-beta.1", true, false, "\"1.2.4-beta.1\" is greater than \"1.2.3\""},
    {"!= 1.2.5, ^2, <= 1.1.x", "1.2.3", false, false, "\"1.2.3\" is less than \"2\"\n\"1.2.3\" is greater than \"1.1.x\""},
    {"> 1 || < 3", "1.2.3-beta", false, false, "\"1.2.3-beta\" is a prerelease version and the constraint is only looking for release versions"},
    {"> 1 || < 3", "1.2.3-beta", true, true, ""},
    {">1 <2 || >3 <4", "1.2.3-beta", false, false, "\"1.2.3-beta\" is a prerelease version and the constraint is only looking for release versions"},
    {">1 <2 || >3 <4", "1.2.3-beta", true, false, "\"1.2.3-beta\" is less than or equal to \"1\"\n\"1.2.3-beta\" is less than or equal to \"3\""},
    {">=1.2.3-0 <2 || >3", "1.2.3-beta", false, true, ""},
    {"^1.2 || ~2.0", "3.0.0", false, false, "\"3.0.0\" does not have same major version as \"1.2\"\n\"3.0.0\" does not have same major version as \"2.0\""},
    {"1.2.3", "1.2.4", false, false, "\"1.2.4\" is not equal to \"1.2.3\""},
    {"!=1.2.3-beta", "1.2.3-beta", false, false, "\"1.2.3-beta\" is equal to \"1.2.3-beta\""},
    {"<=1.2.3-beta", "1.2.4-beta", false, false, "\"1.2.4-beta\" is greater than \"1.2.3-beta\""},
    {"=1.2.3 !=1.2.3", "1.2.3", false, false, "\"1.2.3\" is equal to \"1.2.3\""},
    {">1.x", "1.9.9", false, false, "\"1.9.9\" is less than or equal to \"1.x\""},
    {">1.2.x", "1.2.9", false, false, "\"1.2.9\" is less than or equal to \"1.2.x\""},
};

/* generated from Masterminds/semver v3 (NewConstraint errors) */
static const bad_constraint_case bad_constraints[] = {
    {"", "improper constraint: \"\""},
    {" ", "improper constraint: \" \""},
    {"||", "improper constraint: \"\""},
    {"1 ||", "improper constraint: \"\""},
    {"|| 1", "improper constraint: \"\""},
    {"foo", "improper constraint: \"foo\""},
    {">= bar", "improper constraint: \">= bar\""},
    {"BAR >= 1.2.3", "improper constraint: \"BAR >= 1.2.3\""},
    {"12.3.4.1234", "improper constraint: \"12.3.4.1234\""},
    {"12.23.4.1234", "improper constraint: \"12.23.4.1234\""},
    {"12.3.34~ 1.2.3", "improper constraint: \"12.3.34~ 1.2.3\""},
    {"v1.2.3-beta.01", "constraint parser error"},
    {">1|2", "constraint parser error"},
    {"1.2.3x", "constraint parser error"},
    {"x1", "constraint parser error"},
    {"1.2.x3", "constraint parser error"},
    {">= 1.2 - 2", "improper constraint: \">=>= 1.2, <= 2 \""},
    {"1.2.3 - 2.3.4 - 3.4.5", "improper constraint: \">= 1.2.3, <= 2.3.4 - 3.4.5\""},
    {">=1,,<2", "improper constraint: \">=1,,<2\""},
    {",>=1", "improper constraint: \",>=1\""},
    {">==1", "improper constraint: \">==1\""},
    {"> =1", "improper constraint: \"> =1\""},
    {"! =1", "improper constraint: \"! =1\""},
    {"vv1", "improper constraint: \"vv1\""},
    {"v 1", "improper constraint: \"v 1\""},
    {"18446744073709551616", "constraint parser error"},
    {">18446744073709551616.0.0", "constraint parser error"},
    {"1.2.3 foo", "improper constraint: \"1.2.3 foo\""},
    {"\"1\"", "improper constraint: \"\\\"1\\\"\""},
    {"1.2.3-", "improper constraint: \"1.2.3-\""},
    {"1.2.3+", "improper constraint: \"1.2.3+\""},
    {"~>>1", "improper constraint: \"~>>1\""},
    {"^^1", "improper constraint: \"^^1\""},
    {">=1.2.3 <", "improper constraint: \">=1.2.3 <\""},
    {"1.0.0-alpha..1", "improper constraint: \"1.0.0-alpha..1\""},
    {">=1.2.3-01", "constraint parser error"},
    {"1.2.3-\xc3\xa9", "improper constraint: \"1.2.3-\xc3\xa9\""},
    {">=1\n\x01", "improper constraint: \">=1\\n\\x01\""},
    {"1.2.3\xff", "improper constraint: \"1.2.3\\xff\""},
    {"1\xc2\xa0", "improper constraint: \"1\\u00a0\""},
    {">=1\\2", "improper constraint: \">=1\\\\2\""},
};

/* generated from Masterminds/semver v3 (Constraints.String) */
static const string_case string_cases[] = {
    {"*", "*"},
    {">=1.2.3", ">=1.2.3"},
    {">= 1.2.3", ">=1.2.3"},
    {"2.x,   >=1.2.3 || >4.5.6, < 5.7", "2.x >=1.2.3 || >4.5.6 <5.7"},
    {"2.x,   >=1.2.3 || >4.5.6, < 5.7 || >40.50.60, < 50.70", "2.x >=1.2.3 || >4.5.6 <5.7 || >40.50.60 <50.70"},
    {"1.2", "1.2"},
    {"1.2.3", "1.2.3"},
    {"<=1.2.3", "<=1.2.3"},
    {"1 <=1.2.3", "1 <=1.2.3"},
    {"1, <=1.2.3", "1 <=1.2.3"},
    {">1, <=1.2.3", ">1 <=1.2.3"},
    {"> 1 , <=1.2.3", ">1 <=1.2.3"},
    {"1.2 - 1.4.5", ">=1.2 <=1.4.5"},
    {"2 - 3, 4.0.0 - 5.1", ">=2 <=3 >=4.0.0 <=5.1"},
    {"1.0.0 - 2.0.0 <=2.0.0", ">=1.0.0 <=2.0.0 <=2.0.0"},
    {"~> 1.2", "~>1.2"},
    {"=> 1 =< 2", "=>1 =<2"},
    {"v1.2.3+meta", "v1.2.3+meta"},
    {"^1.x-beta", "^1.x-beta"},
    {"  1.2.3  ", "1.2.3"},
    {">=1\t<2", ">=1 <2"},
    {"1||2", "1 || 2"},
};

/* Parse a constraint the test knows to be valid. */
static gotk_semver_constraints *must_c(const char *s)
{
    gotk_semver_constraints *c = NULL;
    gotk_err *e = gotk_semver_constraints_parse(s, &c);
    if (e)
        fail_msg("parsing constraint \"%s\": %s", s, gotk_err_msg(e));
    return c;
}

/* Parse a version the test knows to be valid. */
static gotk_semver *must_v(const char *s)
{
    gotk_semver *v = NULL;
    gotk_err *e = gotk_semver_parse(s, &v);
    if (e)
        fail_msg("parsing version \"%s\": %s", s, gotk_err_msg(e));
    return v;
}

static void test_check_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof check_cases / sizeof check_cases[0]; i++) {
        const check_case *tc = &check_cases[i];
        gotk_semver_constraints *c = must_c(tc->constraint);
        gotk_semver *v = must_v(tc->version);
        bool got = gotk_semver_constraints_check(c, v);
        if (got != tc->check)
            fail_msg("case %zu: \"%s\" check \"%s\" = %d, want %d", i, tc->constraint,
                     tc->version, got, tc->check);
        /* Validate agrees with Check. */
        assert_int_equal(gotk_semver_constraints_validate(c, v, NULL), tc->check);
        gotk_semver_constraints_set_include_prerelease(c, true);
        got = gotk_semver_constraints_check(c, v);
        if (got != tc->check_pre)
            fail_msg("case %zu: \"%s\" check \"%s\" with prereleases = %d, want %d", i,
                     tc->constraint, tc->version, got, tc->check_pre);
        gotk_semver_free(v);
        gotk_semver_constraints_free(c);
    }
}

/* Join a NULL-terminated reason list with newlines. */
static char *join_reasons(char **r)
{
    gotk_buf b = {0};
    gotk_buf_puts(&b, "");
    for (size_t i = 0; r && r[i]; i++)
        gotk_buf_printf(&b, "%s%s", i ? "\n" : "", r[i]);
    return gotk_buf_steal(&b);
}

static void test_validate_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof validate_cases / sizeof validate_cases[0]; i++) {
        const validate_case *tc = &validate_cases[i];
        gotk_semver_constraints *c = must_c(tc->constraint);
        gotk_semver *v = must_v(tc->version);
        gotk_semver_constraints_set_include_prerelease(c, tc->include_pre);
        char **reasons = (char **)1;
        bool ok = gotk_semver_constraints_validate(c, v, &reasons);
        char *got = join_reasons(reasons);
        if (ok != tc->ok || strcmp(got, tc->reasons) != 0)
            fail_msg("case %zu: validate \"%s\" on \"%s\" = %d [%s], want %d [%s]", i,
                     tc->constraint, tc->version, ok, got, tc->ok, tc->reasons);
        if (ok)
            assert_null(reasons);
        free(got);
        gotk_semver_reasons_free(reasons);
        gotk_semver_free(v);
        gotk_semver_constraints_free(c);
    }
}

static void test_bad_constraints(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof bad_constraints / sizeof bad_constraints[0]; i++) {
        const bad_constraint_case *tc = &bad_constraints[i];
        gotk_semver_constraints *c = (gotk_semver_constraints *)1;
        gotk_err *e = gotk_semver_constraints_parse(tc->constraint, &c);
        if (!e)
            fail_msg("case %zu: \"%s\" parsed, want error \"%s\"", i, tc->constraint, tc->err);
        assert_null(c);
        assert_string_equal(gotk_err_msg(e), tc->err);
        assert_int_equal(gotk_err_code_of(e), GOTK_E_INVALID);
        gotk_err_free(e);
    }
}

static void test_string_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof string_cases / sizeof string_cases[0]; i++) {
        gotk_semver_constraints *c = must_c(string_cases[i].constraint);
        assert_string_equal(gotk_semver_constraints_string(c), string_cases[i].str);
        /* The printed form parses back to itself. */
        gotk_semver_constraints *again = must_c(gotk_semver_constraints_string(c));
        assert_string_equal(gotk_semver_constraints_string(again), string_cases[i].str);
        gotk_semver_constraints_free(again);
        gotk_semver_constraints_free(c);
    }
}

static void test_structure(void **state)
{
    (void)state;
    /* Masterminds' TestNewConstraint: how inputs split into ORs and ANDs,
     * seen through String(). */
    gotk_semver_constraints *c = must_c(">= 1.2.3 < 2.0 || => 3.0 < 4");
    assert_string_equal(gotk_semver_constraints_string(c), ">=1.2.3 <2.0 || =>3.0 <4");
    gotk_semver_constraints_free(c);
    c = must_c("3 - 4 || => 3.0, < 4");
    assert_string_equal(gotk_semver_constraints_string(c), ">=3 <=4 || =>3.0 <4");
    gotk_semver_constraints_free(c);
    c = must_c("12.3.34 ~1.2.3");
    assert_string_equal(gotk_semver_constraints_string(c), "12.3.34 ~1.2.3");
    gotk_semver_constraints_free(c);
    c = must_c("v2.3.5-20161202202307-sha.e8fc5e5");
    assert_string_equal(gotk_semver_constraints_string(c), "v2.3.5-20161202202307-sha.e8fc5e5");
    gotk_semver_constraints_free(c);
}

static void test_long_input(void **state)
{
    (void)state;
    /* Many ANDs parse; absurd whitespace fails like Masterminds does. */
    gotk_buf b = {0};
    for (int i = 0; i < 500; i++)
        gotk_buf_puts(&b, ">=1.2.3, ");
    gotk_buf_puts(&b, "<2");
    gotk_semver_constraints *c = must_c(b.data);
    gotk_semver *v = must_v("1.5.0");
    assert_true(gotk_semver_constraints_check(c, v));
    gotk_semver_free(v);
    gotk_semver_constraints_free(c);
    gotk_buf_free(&b);

    gotk_buf_puts(&b, "1");
    for (int i = 0; i < 800; i++)
        gotk_buf_putc(&b, ' ');
    gotk_buf_putc(&b, '!');
    gotk_err *e = gotk_semver_constraints_parse(b.data, &c);
    assert_non_null(e);
    assert_true(strncmp(gotk_err_msg(e), "improper constraint: \"1 ", 24) == 0);
    gotk_err_free(e);
    gotk_buf_free(&b);
}

static void test_latest(void **state)
{
    (void)state;
    /* image-reflector-controller's SemVer.Latest: non-semver tags skipped,
     * the original tag returned (with its "v"), ties to the first. */
    static const char *const tags[] = {"latest", "1.0.0",  "v1.2.3",   "1.2.3",     "1.2",
                                       "v1.3.0-rc.1", "sha-1234", "2.0.0", "1.2.3+b2", "v0.9"};
    static const struct {
        const char *range;
        size_t want;
    } cases[] = {
        {">=1.0.0 <2.0.0", 2}, {"1.x", 2},     {"*", 7}, {">=1.3.0-0 <2", 5},
        {"~1.2", 2},           {"<1.2.3", 1},  {"!=2.0.0", 2},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        gotk_semver_constraints *c = must_c(cases[i].range);
        size_t idx = 99;
        assert_null(gotk_semver_latest(c, tags, sizeof tags / sizeof tags[0], &idx));
        if (idx != cases[i].want)
            fail_msg("\"%s\": picked %s, want %s", cases[i].range, tags[idx],
                     tags[cases[i].want]);
        gotk_semver_constraints_free(c);
    }
    size_t idx = 99;
    assert_null(gotk_semver_latest(NULL, tags, 4, &idx));
    assert_int_equal(idx, 2);

    gotk_semver_constraints *c = must_c(">=3");
    gotk_err *e = gotk_semver_latest(c, tags, sizeof tags / sizeof tags[0], &idx);
    assert_string_equal(gotk_err_msg(e), "unable to determine latest version from provided list");
    gotk_err_free(e);
    e = gotk_semver_latest(c, tags, 0, &idx);
    assert_string_equal(gotk_err_msg(e), "version list argument cannot be empty");
    gotk_err_free(e);
    gotk_semver_constraints_free(c);
}

static void test_sort_desc(void **state)
{
    (void)state;
    static const char *const tags[] = {"1.0.0", "v1.2.3", "1.2", "2.0.0-rc.1", "1.2.3+b",
                                       "0.1.0", "v2.0.0", "nope"};
    size_t order[8];
    size_t n = gotk_semver_sort_desc(NULL, tags, 8, order);
    static const size_t want_all[] = {6, 3, 1, 4, 0, 5};
    assert_int_equal(n, 6);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(order[i], want_all[i]);

    gotk_semver_constraints *c = must_c("^1");
    n = gotk_semver_sort_desc(c, tags, 8, order);
    static const size_t want_1[] = {1, 4, 0};
    assert_int_equal(n, 3);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(order[i], want_1[i]);
    assert_int_equal(gotk_semver_sort_desc(c, tags, 0, order), 0);
    gotk_semver_constraints_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_check_table),
        cmocka_unit_test(test_validate_table),
        cmocka_unit_test(test_bad_constraints),
        cmocka_unit_test(test_string_table),
        cmocka_unit_test(test_structure),
        cmocka_unit_test(test_long_input),
        cmocka_unit_test(test_latest),
        cmocka_unit_test(test_sort_desc),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
