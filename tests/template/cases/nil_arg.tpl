{{ print nil }} {{ printf "%v" nil }}
