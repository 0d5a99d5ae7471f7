{{ $img := .Values.image }}{{ $img.repository }}
