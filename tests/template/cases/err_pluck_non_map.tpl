{{ pluck "a" "str" }}
