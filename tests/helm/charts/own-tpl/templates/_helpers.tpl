{{- define "own.count" -}}
{{- if gt (int .) 0 -}}{{ . }} {{ include "own.count" (sub (int .) 1) }}{{- end -}}
{{- end -}}
{{- define "own.block" -}}default block{{- end -}}
