{{ printf "%f|%.2f|%5.1f|%e|%E|%g|%G|%.3g" .Values.pi .Values.pi .Values.pi .Values.pi .Values.big .Values.big .Values.huge .Values.pi }}
