{{ trunc 3 "abcdef" }}|{{ trunc -3 "abcdef" }}|{{ trunc 10 "abc" }}|{{ trunc -10 "abc" }}|{{ trunc 0 "abc" }}|{{ trunc 2 "héllo" }}|{{ trunc 63 .Values.str }}
{{ substr 1 3 "abcdef" }}|{{ substr 0 -1 "abcdef" }}|{{ substr -1 2 "abcdef" }}|{{ substr 2 100 "abcdef" }}|{{ substr 3 3 "abc" }}|{{ substr 1 2 "héllo" }}
{{ abbrev 5 "hello world" }}|{{ abbrev 3 "hello" }}|{{ abbrev 100 "hi" }}|{{ abbrevboth 5 10 "1234 5678 9123 4567" }}
