{{ $.Values.a.b }}
