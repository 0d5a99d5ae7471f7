a
{{ if }}
