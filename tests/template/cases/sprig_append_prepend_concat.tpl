{{ append .Values.list "d" }} {{ prepend .Values.list "z" }} {{ concat .Values.list .Values.nums (list 9) }} {{ .Values.list }} {{ push .Values.nums 4 }} {{ concat }}
