{{ eq .Values.name "a" "b" "web" }} {{ eq 1 2 3 }}
