#!/usr/bin/env bash
# Configures Debian's postfix as a loopback-only interop server for the AsyncSmtp tests and starts it
# (or reloads it when it already runs). Idempotent; run as root. Recipe: /work/shared/servers.md.
#   - 127.0.0.1/::1 port 25, STARTTLS with a self-signed certificate for localhost, AUTH
#     (SCRAM-SHA-256 SCRAM-SHA-1 CRAM-MD5 PLAIN LOGIN, all from the one sasldb user) only after
#     STARTTLS, SMTPUTF8, CHUNKING, PIPELINING, DSN;
#     port 465 (implicit TLS) and 587 (STARTTLS mandatory) alike;
#   - every *@example.test delivered into one maildir, /var/mail/vhosts/sink/;
#   - other domains refused (554 5.7.1) unless authenticated, and never delivered anywhere.
# Writes what the tests need to know to <repo>/out/interop/postfix.json (or $ASYNCSMTP_INTEROP_DIR).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
info_dir="${ASYNCSMTP_INTEROP_DIR:-$repo/out/interop}"
user=alice
password='interop-Secret-1'
maildir=/var/mail/vhosts/sink
cert=/etc/postfix/asyncsmtp-interop.pem
key=/etc/postfix/asyncsmtp-interop.key

for tool in postconf postfix saslpasswd2 openssl; do
    command -v "$tool" >/dev/null || { echo "start-postfix: $tool missing (apt-get install postfix sasl2-bin libsasl2-modules openssl)" >&2; exit 1; }
done

# Not Debian's snakeoil certificate: ssl-cert links it into /etc/ssl/certs, so every client on the
# machine trusts it already, and a test could not show that trust must be given explicitly. A
# self-signed certificate of our own for localhost is trusted by nobody until a test says so.
if [[ ! -f $cert || ! -f $key ]]; then
    openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj /CN=localhost \
        -addext 'subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1' \
        -keyout "$key" -out "$cert" 2>/dev/null
    chmod 600 "$key"
fi

myhostname="$(postconf -h myhostname)"
postconf -e \
    'inet_interfaces = loopback-only' \
    "smtpd_tls_cert_file = $cert" \
    "smtpd_tls_key_file = $key" \
    'smtpd_tls_security_level = may' \
    'smtpd_sasl_auth_enable = yes' \
    'smtpd_sasl_type = cyrus' \
    'smtpd_sasl_path = smtpd' \
    'smtpd_tls_auth_only = yes' \
    'smtputf8_enable = yes' \
    'maillog_file = /var/log/postfix.log' \
    'virtual_mailbox_domains = example.test' \
    'virtual_mailbox_base = /var/mail/vhosts' \
    'virtual_mailbox_maps = static:sink/' \
    'virtual_uid_maps = static:65534' \
    'virtual_gid_maps = static:65534' \
    'virtual_mailbox_limit = 0' \
    'message_size_limit = 52428800' \
    'smtpd_relay_restrictions = permit_sasl_authenticated reject_unauth_destination' \
    'default_transport = error:the AsyncSmtp interop server delivers only to example.test' \
    'relay_transport = error:the AsyncSmtp interop server delivers only to example.test'

# Submission ports too: 465 with TLS from the first byte, 587 where STARTTLS is mandatory.
postconf -Me 'smtps/inet=smtps inet n - y - - smtpd' 'submission/inet=submission inet n - y - - smtpd'
postconf -Pe 'smtps/inet/smtpd_tls_wrappermode=yes' 'submission/inet/smtpd_tls_security_level=encrypt'

mkdir -p /etc/postfix/sasl
cat > /etc/postfix/sasl/smtpd.conf <<'CONF'
pwcheck_method: auxprop
auxprop_plugin: sasldb
mech_list: SCRAM-SHA-256 SCRAM-SHA-1 CRAM-MD5 PLAIN LOGIN
CONF

echo "$password" | saslpasswd2 -p -c -u "$myhostname" "$user"
chown root:postfix /etc/sasldb2
chmod 640 /etc/sasldb2
mkdir -p /var/spool/postfix/etc
cp -p /etc/sasldb2 /var/spool/postfix/etc/sasldb2

mkdir -p "$maildir"/{new,cur,tmp}
chown -R 65534:65534 /var/mail/vhosts
[[ -f /etc/aliases.db ]] || newaliases

if postfix status >/dev/null 2>&1; then postfix reload >/dev/null 2>&1; else postfix start >/dev/null 2>&1; fi

# Wait until it greets.
for _ in $(seq 1 50); do
    if exec 3<>/dev/tcp/127.0.0.1/25 2>/dev/null && IFS= read -r -t 5 greeting <&3 && [[ $greeting == 220* ]]; then
        exec 3>&-
        break
    fi
    exec 3>&- 2>/dev/null || true
    greeting=''
    sleep 0.2
done
[[ ${greeting:-} == 220* ]] || { echo "start-postfix: postfix does not answer on 127.0.0.1:25; see /var/log/postfix.log" >&2; exit 1; }

mkdir -p "$info_dir"
cat > "$info_dir/postfix.json" <<JSON
{
  "host": "localhost",
  "port": 25,
  "implicitTlsPort": 465,
  "submissionPort": 587,
  "userName": "$user@$myhostname",
  "password": "$password",
  "certificate": "$cert",
  "maildir": "$maildir",
  "domain": "example.test"
}
JSON
echo "postfix ready on 127.0.0.1:25 (certificate $cert, user $user@$myhostname, maildir $maildir)"
