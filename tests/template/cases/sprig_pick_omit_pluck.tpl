{{ pick .Values.image "tag" "nope" }} {{ omit .Values.image "tag" }} {{ pluck "name" (index .Values.ports 0) (index .Values.ports 1) (dict) }}
