{{ urlParse "http://h/%zz" }}
