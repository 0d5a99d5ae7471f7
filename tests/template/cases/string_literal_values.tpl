raw: {{ `line1
line2` | quote }} esc: {{ "tab\there \u00e9" }} plain: {{ "cafÃ©" | upper }} bad: {{ "ÿ" | quote }}
