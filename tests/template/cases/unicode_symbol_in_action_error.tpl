{{ print "a" ☃ }}
