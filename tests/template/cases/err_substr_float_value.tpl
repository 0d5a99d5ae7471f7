{{ substr 0 .Values.replicas "abcdef" }}
