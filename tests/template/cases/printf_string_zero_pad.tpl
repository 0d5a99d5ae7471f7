{{ printf "%05s|%.0s|%8.3q" "ab" "xyz" "hello" }}
