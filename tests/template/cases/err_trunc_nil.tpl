{{ trunc 3 nil }}
