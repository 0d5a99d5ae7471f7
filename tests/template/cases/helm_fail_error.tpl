{{ if .Values.enabled }}{{ fail "enabled is not supported" }}{{ end }}
