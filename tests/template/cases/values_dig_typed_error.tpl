{{ dig "name" "x" .Values }}
