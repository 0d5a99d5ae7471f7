{{ urlParse ":nope" }}
