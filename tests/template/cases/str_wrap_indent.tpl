{{ wrap 5 "Hello World this is a test" }}
{{ wrapWith 5 "\t" "Hello World" }}
{{ wrap 10 "a verylongwordthatexceeds b" }}
{{ "a\r\nb\r\nc" | indent 2 }}
{{ "a\r\nb" | nindent 2 }}
{{ "" | indent 2 }}|{{ "x\n" | indent 2 }}|{{ "\n\n" | indent 1 }}|{{ "x" | indent 0 }}
