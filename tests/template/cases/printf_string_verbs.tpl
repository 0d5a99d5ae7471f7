{{ printf "%s|%10s|%-10s|%.3s|%q|%x|%X|% x|%#q" "hello" "hi" "hi" "hello" "a\"b" "hi" "hi" "hi" "back" }}
