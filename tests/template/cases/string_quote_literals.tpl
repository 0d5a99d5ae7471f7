{{ printf "%q|%q|%q|%+q" "\u0080\u009f\u00ad" "nul\x00x" "bad\xffutf" "é☃" }}
