#!/bin/sh
# A self-signed TLS certificate for nginx, made once at install:
#   sh docs/make-certificate.sh assistant.example.fr /etc/nginx/tls
# writes assistant.crt and assistant.key (readable by root only). Replace them with your
# organisation's certificate when you have one; browsers warn about a self-signed one until then.
set -eu
name="${1:?nom du serveur, ex. assistant.example.fr}"
dir="${2:-/etc/nginx/tls}"
mkdir -p "$dir"
if [ -s "$dir/assistant.crt" ] && [ -s "$dir/assistant.key" ]; then
    echo "Certificat déjà présent dans $dir"
    exit 0
fi
umask 077
openssl req -x509 -newkey rsa:2048 -nodes -days 825 -subj "/CN=$name" \
    -addext "subjectAltName=DNS:$name" -keyout "$dir/assistant.key" -out "$dir/assistant.crt" 2>/dev/null
chmod 644 "$dir/assistant.crt"
echo "Certificat auto-signé pour $name écrit dans $dir"
