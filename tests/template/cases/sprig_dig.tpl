{{ dig "a" "b" "def" (dict "a" (dict "b" "found")) }} {{ dig "a" "x" "def" (dict "a" (dict "b" 1)) }} {{ dig "image" "tag" "none" (dict "image" .Values.image) }}
