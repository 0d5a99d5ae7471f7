{{ urlParse "a:b/c#%x" }}
