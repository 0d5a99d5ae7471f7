{{ "%s!" | printf }}|{{ 3 | printf "%d" }}
