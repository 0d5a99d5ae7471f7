{{ lower nil }}
