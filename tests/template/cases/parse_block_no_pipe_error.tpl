{{ block "x" }}y{{ end }}
