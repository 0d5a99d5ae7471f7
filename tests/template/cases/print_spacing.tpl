{{ print 1 2 }}|{{ print "a" "b" }}|{{ print "a" 1 "b" }}|{{ print 1 "a" 2 }}
