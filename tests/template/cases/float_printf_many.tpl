{{ range .Values.f }}{{ printf "%e|%.3e|%f|%.1f|%g|%.4g|%10.3f|%-12.2e|%G" . . . . . . . . . }}
{{ end }}