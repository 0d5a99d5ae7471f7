{{ define "t" }}{{ required "inner required" .nope }}{{ end }}x {{ include "t" .Values }}
