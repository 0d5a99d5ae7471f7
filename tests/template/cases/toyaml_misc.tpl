{{ toYaml nil }}|{{ toYaml "" }}|{{ toYaml (list) }}|{{ toYaml (dict) }}|{{ toYaml 3 }}|{{ toYaml 3.5 }}|{{ toYaml true }}
{{ toYaml "multi\nline" }}
{{ toYaml "trail\n" }}
{{ toYaml "two\n\n" }}
{{ toYaml (list "a\nb" "c") }}
{{ toYaml (dict "k" "v\n  w\n") }}
{{ toYaml (list (list 1 2) (list) (dict "a" (list (dict "b" 1)))) }}
{{ toYaml (dict "a" (list 1 2) "b" (dict "c" (list))) | indent 4 }}
{{ toYaml "  lead" }}
{{ toYaml "x " }}
{{ toYaml "a\tb" }}
{{ toYaml "\ttab\nx" }}
{{ toYaml "trailing space \nx" }}
