{{ index .Values.str 1 }} {{ printf "%T %c %v" (index .Values.str 0) (index .Values.str 0) (index "é" 0) }} {{ eq (index "a" 0) 97 }} {{ lt (index "a" 0) 98 }}
