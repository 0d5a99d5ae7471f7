{{ substr 5 -1 "abc" }}
