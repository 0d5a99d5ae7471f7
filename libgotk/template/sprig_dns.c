/*
 * sprig_dns.c: Sprig's getHostByName with real name lookups, which Helm turns
 * on with --enable-dns. Kept apart from the other functions so that programs
 * rendering without DNS (the static `gotk` front) do not link the resolver.
 */
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <string.h>

#include "sprig.h"

/* getHostByName name: one of the name's addresses, picked at random. */
static gotk_err *fn_host_by_name(gotk_tpl_exec *ex, int argc, const gotk_tpl_val *argv,
                                 gotk_tpl_val *res, void *ud)
{
    (void)argc, (void)ud;
    struct addrinfo hints = {.ai_socktype = SOCK_STREAM}, *ai = NULL;
    char addrs[16][INET6_ADDRSTRLEN];
    size_t n = 0;
    if (getaddrinfo(SV(argv[0]), NULL, &hints, &ai) == 0) {
        for (struct addrinfo *p = ai; p && n < 16; p = p->ai_next) {
            const void *a = p->ai_family == AF_INET
                                ? (const void *)&((struct sockaddr_in *)p->ai_addr)->sin_addr
                                : (const void *)&((struct sockaddr_in6 *)p->ai_addr)->sin6_addr;
            if (inet_ntop(p->ai_family, a, addrs[n], sizeof addrs[n]))
                n++;
        }
        freeaddrinfo(ai);
    }
    if (n == 0) /* Sprig indexes with rand.Intn(0), which panics so */
        return gotk_err_new(GOTK_E_INVALID, "invalid argument to Intn");
    const char *pick = addrs[sprig_rand_below(n)];
    *res = gotk_tpl_string(ex, pick, strlen(pick));
    return NULL;
}

void gotk_template_enable_dns(gotk_tpl_set *set)
{
    gotk_template_add_func(set, "getHostByName", "s", fn_host_by_name, NULL);
}
