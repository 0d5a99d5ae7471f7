{{ round "x" 2 }}
