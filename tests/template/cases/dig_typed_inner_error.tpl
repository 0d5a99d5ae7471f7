{{ dig "a" "x" (dict "a" .Files) }}|{{ dig "a" "b" "x" (dict "a" .Template) }}
