{{ printf "%v|%d|%s" .Values.nums .Values.nums .Values.list }}
