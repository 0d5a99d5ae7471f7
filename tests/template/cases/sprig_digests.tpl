{{ sha256sum .Values.str }} {{ sha1sum "" }} {{ sha512sum "abc" }}
