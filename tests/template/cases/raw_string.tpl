{{ `raw \n string` }}
