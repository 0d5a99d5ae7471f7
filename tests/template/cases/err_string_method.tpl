{{ "abc".x }}
