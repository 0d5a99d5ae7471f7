{{ mustSlice .Values.list 1 5 }}
