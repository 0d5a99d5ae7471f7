{{ $c := deepCopy .Values.image }}{{ $_ := set $c "tag" "new" }}{{ $c.tag }} {{ .Values.image.tag }} {{ deepCopy .Values.list }} {{ deepCopy 5 }} {{ deepCopy .Values.name }}
