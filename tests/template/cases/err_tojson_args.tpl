{{ toJson 1 2 }}
