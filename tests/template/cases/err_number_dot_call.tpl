{{ 3.Values }}
