#!/usr/bin/env bash
# A self-signed TLS certificate for nginx: make-cert.sh DIR [HOST...]
# Writes DIR/tls.crt and DIR/tls.key (ECDSA P-256, valid 825 days) for the host names given
# (default: localhost), plus 127.0.0.1 and ::1. For a real domain use a CA's certificate
# instead (docs/operations.md, "TLS with a real certificate").
set -euo pipefail
dir=${1:?usage: make-cert.sh DIR [HOST...]}
shift
hosts=("${@:-localhost}")
san=""
for h in "${hosts[@]}"; do san+="DNS:$h,"; done
san+="IP:127.0.0.1,IP:::1"
mkdir -p "$dir"
umask 077
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -sha256 -days 825 -nodes \
  -subj "/CN=${hosts[0]}" -addext "subjectAltName=$san" \
  -addext "extendedKeyUsage=serverAuth" \
  -keyout "$dir/tls.key" -out "$dir/tls.crt" 2>/dev/null
chmod 644 "$dir/tls.crt"
echo "wrote $dir/tls.crt and $dir/tls.key for ${hosts[*]}"
