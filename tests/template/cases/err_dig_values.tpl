{{ dig "map" "c" "d" "" .Values }}
