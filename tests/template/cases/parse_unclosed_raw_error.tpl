{{ `abc }}
