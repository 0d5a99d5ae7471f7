{{ urlParse "http://h:port/" }}
