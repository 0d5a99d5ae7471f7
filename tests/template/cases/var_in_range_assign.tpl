{{ $last := "" }}{{ range .Values.list }}{{ $last = . }}{{ end }}{{ $last }}
