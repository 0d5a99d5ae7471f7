{{ (index .Values.ports 0).name }} {{ (.Values.map).c.d }}
