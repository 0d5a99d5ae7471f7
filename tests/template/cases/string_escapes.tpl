{{ "tab\tnl\nq\"u\u00e9x\x41" }}
