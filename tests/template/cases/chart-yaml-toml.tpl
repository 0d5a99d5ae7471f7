{{- /* go-yaml v3 and BurntSushi toml on Helm's .Chart struct */ -}}
{{ toYamlPretty .Chart }}
{{ toToml .Chart }}
{{ toToml (dict "c" .Chart "m" (list .Chart.Metadata)) }}
{{ toYamlPretty (dict "c" (list .Chart) "t" .Template) }}
{{ toJson .Chart }}
