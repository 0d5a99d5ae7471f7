{{ tpl "x" "y" }}
