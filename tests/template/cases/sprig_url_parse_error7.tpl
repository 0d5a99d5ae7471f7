{{ urlParse "http://a b/" }}
