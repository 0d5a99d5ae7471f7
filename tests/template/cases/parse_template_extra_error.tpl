{{ template "x" . . }}
