{{ define "b" }}x{{ end }}{{ block "b" . }}y{{ end }}
