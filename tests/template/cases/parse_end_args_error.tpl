{{ if true }}{{ end x }}
