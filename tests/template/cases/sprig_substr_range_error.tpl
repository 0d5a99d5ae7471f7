{{ substr 2 10 "abc" }}
