{{ range .Values.nums }}{{ if eq . 1.0 }}one{{ else if eq . 2.0 }}two{{ else }}many{{ end }} {{ end }}
