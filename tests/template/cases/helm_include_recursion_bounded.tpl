{{ define "count" }}{{ if gt (len .) 0 }}{{ first . }}{{ include "count" (rest .) }}{{ end }}{{ end }}{{ include "count" (until 30) }}
