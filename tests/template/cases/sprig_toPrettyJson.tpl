{{ toPrettyJson .Values.map }}
{{ toPrettyJson .Values.mixed }}
{{ toPrettyJson .Values.emptylist }} {{ toPrettyJson "<a>" }}
