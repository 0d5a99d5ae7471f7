{{ add }}
