{{ b64enc "hello" }}|{{ b64dec "aGVsbG8=" }}|{{ b64dec "aGVsbG8" }}|{{ b64dec "!!" }}|{{ b32enc "hello" }}|{{ b32dec "NBSWY3DP" }}|{{ b32dec "bad" }}
{{ sha1sum "x" }}|{{ sha256sum "x" }}|{{ sha512sum "x" }}|{{ adler32sum "x" }}|{{ sha256sum "" }}|{{ adler32sum "" }}
{{ b64enc "" }}|{{ sha256sum .Values.str | trunc 8 }}|{{ toJson (b64dec "aGk=") }}|{{ "é☃" | b64enc }}|{{ "w6nimIM=" | b64dec }}
