{{ if .Values.enabled }}yes
