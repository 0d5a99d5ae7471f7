{{- define "own.block" -}}child block{{- end -}}
