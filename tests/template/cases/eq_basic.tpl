{{ eq .Values.name "web" }} {{ eq .Values.replicas 3.0 }} {{ eq 1 1 }} {{ eq true true }} {{ eq "a" "b" }}
