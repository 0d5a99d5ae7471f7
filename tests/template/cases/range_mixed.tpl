{{ range .Values.mixed }}<{{ . }}>{{ end }}
