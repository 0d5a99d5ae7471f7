{{ print nil 1 }}|{{ print "a" nil "b" }}|{{ print 1 nil }}
