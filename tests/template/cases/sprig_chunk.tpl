{{ chunk 2 (list 1 2 3 4 5) }} {{ chunk 3 .Values.list }} {{ chunk 5 (list) }} {{ chunk 1 .Values.list }}
