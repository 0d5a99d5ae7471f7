{{ urlParse "1a:b" }}
