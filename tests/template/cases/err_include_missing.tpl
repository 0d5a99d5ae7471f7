a {{ include "nope" . }}
