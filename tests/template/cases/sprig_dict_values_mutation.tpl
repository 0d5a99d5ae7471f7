{{ $_ := set .Values.image "tag" "2.0" }}{{ .Values.image.tag }} {{ hasKey .Values "name" }} {{ get .Values.image "repository" }}
