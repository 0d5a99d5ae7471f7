{{ len "日本" }} {{ len .Values.emptymap }}
