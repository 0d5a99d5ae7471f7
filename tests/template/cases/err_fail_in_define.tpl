{{ define "x" }}{{ fail "boom in define" }}{{ end }}{{ include "x" . }}
