{{ 'a' }} {{ printf "%c" 'b' }} {{ '\n' }}
