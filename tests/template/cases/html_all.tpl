{{ html "<script>alert('x&y')</script>" }} {{ html 1 "a" 2 }} {{ html .Values.list }}
