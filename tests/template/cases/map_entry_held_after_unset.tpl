{{- /* istio's zzz_profile.yaml: a variable keeps a map entry that unset,
       set and mergeOverwrite then remove or replace in its map */}}
{{- $defaults := $.Values.d }}
{{- $_ := unset $.Values "d" }}
{{- $old := .Values.o }}
{{- $_ := set .Values "o" (dict "new" 1) }}
{{- $kept := .Values.m.inner }}
{{- $_ := mergeOverwrite .Values.m (dict "inner" "replaced") }}
{{- $a := mustMergeOverwrite $defaults ($.Values.global | default dict) }}
{{- $b := set $ "Values" (mustMergeOverwrite $defaults $.Values) }}
{{ toYaml .Values }}
old: {{ toJson $old }} kept: {{ toJson $kept }}
