{{ template "nope" }}
