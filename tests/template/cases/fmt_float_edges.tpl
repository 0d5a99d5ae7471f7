{{ printf "%e %E %g %G" 1e21 1e21 1e21 1e21 }}
{{ printf "%e %E %g %G" 1e-7 1e-7 1e-7 1e-7 }}
{{ printf "%v %v %v %v" 1e21 1e20 1e-4 1e-5 }}
{{ printf "%v %v" 123456789.0 1234567890123.0 }}
{{ printf "%g %.3g %.10g" 100000.0 1234567.0 1234567.0 }}
{{ printf "%f %.2f %8.3f|%-8.3f|" 1e21 -0.005 3.14159 3.14159 }}
{{ printf "%v %v %v" (divf 0 1) (mulf -1 0) (subf 0 0) }}
{{ printf "%.2e %.0e %g" 0.000123 5.5 1.0 }}
{{ printf "%v %g" (float64 "1e400") (float64 "-1e400") }}
