{{ substr 2 1 "abc" }}
