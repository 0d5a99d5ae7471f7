{{ adler32sum .Values.str }} {{ adler32sum "" }} {{ b32enc .Values.str }} {{ b32enc "a" }} {{ b32enc "" }}
