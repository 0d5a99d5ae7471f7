#!/bin/sh
# usage: lighttpd-tls.sh WORKDIR PORT
# Test fixture for the kube transport: makes a CA with a server and a client
# certificate (EC P-256, fast) plus a second, unrelated CA, writes a lighttpd
# config serving WORKDIR/www over HTTPS on 127.0.0.1:PORT with HTTP/2 on and a
# client certificate required, then runs lighttpd in the foreground (exec, so the
# caller's pid is lighttpd's). The certificates' SAN holds IP:127.0.0.1. /api/v1
# is rewritten to WORKDIR/www/discovery-v1, so recorded watch streams can live
# under www/api/v1/namespaces/... (the query string is ignored for static files).
set -eu
WD=$1
PORT=$2
mkdir -p "$WD/tls" "$WD/www"
cd "$WD/tls"
if [ ! -s server.crt ]; then
  {
    for ca in ca other-ca; do
      openssl req -x509 -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
        -keyout $ca.key -out $ca.crt -days 3650 -subj "/CN=$ca" \
        -addext "basicConstraints=critical,CA:TRUE" \
        -addext "keyUsage=critical,keyCertSign,cRLSign"
    done
    for who in server client; do
      if [ $who = server ]; then
        ext="subjectAltName=IP:127.0.0.1,DNS:localhost
extendedKeyUsage=serverAuth"
      else
        ext="extendedKeyUsage=clientAuth"
      fi
      openssl req -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
        -keyout $who.key -out $who.csr -subj "/CN=$who"
      printf '%s\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\n' "$ext" >$who.ext
      openssl x509 -req -in $who.csr -CA ca.crt -CAkey ca.key -CAcreateserial \
        -out $who.crt -days 3650 -extfile $who.ext
    done
    rm -f ./*.csr ./*.ext ca.srl
  } >"$WD/openssl.log" 2>&1
fi
cat >"$WD/lighttpd.conf" <<EOC
server.modules = ( "mod_openssl", "mod_rewrite" )
server.bind = "127.0.0.1"
server.port = $PORT
server.document-root = "$WD/www"
server.upload-dirs = ( "$WD" )
mimetype.assign = ( "" => "application/json" )
# /api/v1 is both a discovery document and a directory of fixtures
url.rewrite-once = ( "^/api/v1([?].*)?\$" => "/discovery-v1" )
ssl.engine = "enable"
ssl.pemfile = "$WD/tls/server.crt"
ssl.privkey = "$WD/tls/server.key"
ssl.ca-file = "$WD/tls/ca.crt"
ssl.verifyclient.activate = "enable"
ssl.verifyclient.enforce = "enable"
EOC
exec /usr/sbin/lighttpd -D -f "$WD/lighttpd.conf"
