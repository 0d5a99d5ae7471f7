{{ b64enc 3 }}
