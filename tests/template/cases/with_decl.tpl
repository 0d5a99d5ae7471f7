{{ with $i := .Values.image }}{{ $i.tag }} {{ .pullPolicy }}{{ end }}
