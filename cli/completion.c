/*
 * gotk completion bash|zsh|fish: shell completion scripts generated from the
 * command tree below (each command path and the words that may follow it, plus
 * the global flags), so the scripts complete `gotk get sources <TAB>` and the like.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

/* A command path ("" is the root) and the subcommands that may follow it. */
typedef struct {
    const char *path;
    const char *words;
} completion_node;

#define OBJECT_KINDS "source kustomization helmrelease image"
static const completion_node tree[] = {
    {"", "bootstrap build check completion create delete dev diff envsubst events export get install "
         "kustomize logs reconcile resume suspend tree uninstall version"},
    {"bootstrap", "git"},
    {"build", "kustomization"},
    {"diff", "kustomization"},
    {"tree", "kustomization"},
    {"completion", "bash fish zsh"},
    {"dev", "up down"},
    {"create", "helmrelease image kustomization secret source"},
    {"create source", "bucket git helm oci"},
    {"create image", "policy repository update"},
    {"create secret", "git"},
    {"get", "all helmreleases images kustomizations sources"},
    {"get sources", "all bucket chart git helm oci"},
    {"get images", "all policy repository update"},
    {"reconcile", OBJECT_KINDS},
    {"suspend", OBJECT_KINDS},
    {"resume", OBJECT_KINDS},
    {"delete", OBJECT_KINDS},
    {"export", OBJECT_KINDS},
    {"reconcile source", "bucket chart git helm oci"},
    {"suspend source", "bucket chart git helm oci"},
    {"resume source", "bucket chart git helm oci"},
    {"delete source", "bucket chart git helm oci"},
    {"export source", "bucket chart git helm oci"},
    {"reconcile image", "repository update"},
    {"suspend image", "policy repository update"},
    {"resume image", "policy repository update"},
    {"delete image", "policy repository update"},
    {"export image", "policy repository update"},
};
#define NTREE (sizeof tree / sizeof tree[0])

static const char global_flags[] = "--context --help --kubeconfig --namespace --timeout --verbose";

/* The bash completion script. */
static void bash_script(void)
{
    puts("# bash completion for gotk                                 -*- shell-script -*-\n"
         "# Load it with: source <(gotk completion bash)\n\n"
         "_gotk() {\n"
         "    local cur=\"${COMP_WORDS[COMP_CWORD]}\" path=\"\" i w words\n"
         "    for ((i = 1; i < COMP_CWORD; i++)); do\n"
         "        w=\"${COMP_WORDS[i]}\"\n"
         "        case \"$w\" in -n|--namespace|--kubeconfig|--context|--timeout) ((i++)); continue ;; esac\n"
         "        [[ $w == -* ]] && continue\n"
         "        path=\"${path:+$path }$w\"\n"
         "    done\n"
         "    case \"$path\" in");
    for (size_t i = 0; i < NTREE; i++)
        printf("        \"%s\") words=\"%s\" ;;\n", tree[i].path, tree[i].words);
    printf("        *) words=\"\" ;;\n"
           "    esac\n"
           "    if [[ $cur == -* ]]; then\n"
           "        words=\"%s\"\n"
           "    fi\n"
           "    COMPREPLY=($(compgen -W \"$words\" -- \"$cur\"))\n"
           "}\n\n"
           "complete -o default -F _gotk gotk\n", global_flags);
}

/* The zsh completion script. */
static void zsh_script(void)
{
    puts("#compdef gotk\n"
         "# zsh completion for gotk. Load it with: source <(gotk completion zsh)\n\n"
         "_gotk() {\n"
         "    local cur=\"${words[CURRENT]}\" path=\"\" w skip=0\n"
         "    local -a cands\n"
         "    for w in \"${(@)words[2,CURRENT-1]}\"; do\n"
         "        if (( skip )); then skip=0; continue; fi\n"
         "        case \"$w\" in -n|--namespace|--kubeconfig|--context|--timeout) skip=1; continue ;; esac\n"
         "        [[ $w == -* ]] && continue\n"
         "        path=\"${path:+$path }$w\"\n"
         "    done\n"
         "    case \"$path\" in");
    for (size_t i = 0; i < NTREE; i++)
        printf("        \"%s\") cands=(%s) ;;\n", tree[i].path, tree[i].words);
    printf("        *) cands=() ;;\n"
           "    esac\n"
           "    if [[ $cur == -* ]]; then\n"
           "        cands=(%s)\n"
           "    fi\n"
           "    compadd -- \"${cands[@]}\"\n"
           "}\n\n"
           "if [ \"$funcstack[1]\" = \"_gotk\" ]; then\n"
           "    _gotk \"$@\"\n"
           "else\n"
           "    compdef _gotk gotk\n"
           "fi\n", global_flags);
}

/* The fish completion script. */
static void fish_script(void)
{
    puts("# fish completion for gotk. Load it with: gotk completion fish | source\n\n"
         "function __gotk_path\n"
         "    set -l words (commandline -opc)\n"
         "    set -e words[1]\n"
         "    set -l path\n"
         "    for w in $words\n"
         "        string match -q -- '-*' $w; and continue\n"
         "        set path $path $w\n"
         "    end\n"
         "    test \"$path\" = \"$argv[1]\"\n"
         "end\n\n"
         "complete -c gotk -f");
    for (size_t i = 0; i < NTREE; i++)
        printf("complete -c gotk -f -n '__gotk_path \"%s\"' -a '%s'\n", tree[i].path, tree[i].words);
    const char *f = global_flags;
    while (*f) {
        f += 2;
        size_t n = strcspn(f, " ");
        printf("complete -c gotk -l %.*s\n", (int)n, f);
        f += n;
        f += *f == ' ';
    }
}

/* gotk completion bash|zsh|fish. */
int cmd_completion(int argc, char **argv)
{
    const char *shell = argc > 1 ? argv[1] : NULL;
    if (!shell || !strcmp(shell, "--help") || !strcmp(shell, "-h")) {
        fputs("The completion sub-command generates completion scripts for various shells.\n\n"
              "Usage:\n  gotk completion [command]\n\nAvailable Commands:\n"
              "  bash        Generates bash completion scripts\n"
              "  fish        Generates fish completion scripts\n"
              "  zsh         Generates zsh completion scripts\n\n"
              "Examples:\n  # To load completion in the current bash session\n  . <(gotk completion bash)\n\n"
              "  # To load completion in zsh\n  source <(gotk completion zsh)\n\n"
              "  # To load completion in fish\n  gotk completion fish | source\n",
              shell ? stdout : stderr);
        return shell ? 0 : 1;
    }
    if (argc > 2)
        return cli_fail("unknown flag: %s", argv[2]);
    if (!strcmp(shell, "bash"))
        bash_script();
    else if (!strcmp(shell, "zsh"))
        zsh_script();
    else if (!strcmp(shell, "fish"))
        fish_script();
    else
        return cli_fail("unknown command \"%s\" for \"gotk completion\"", shell);
    return 0;
}
