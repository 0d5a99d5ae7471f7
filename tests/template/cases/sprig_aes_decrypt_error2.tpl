{{ decryptAES "k" (b64enc "0123456789abcdef0123") }}
