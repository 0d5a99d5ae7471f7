{{ len .Values.list }} {{ len .Values.map }} {{ len .Values.str }} {{ len .Values.emptylist }}
