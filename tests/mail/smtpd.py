"""A real SMTP server for Karvon's tests (aiosmtpd): AUTH PLAIN/LOGIN against Dovecot's users file, every
accepted message saved to a spool folder (so tests see mail to outside addresses), local recipients
(@mail.test) delivered into Dovecot over LMTP.

usage: smtpd.py PORT USERS_FILE SPOOL_DIR LMTP_PORT [CERT KEY]  (with a certificate: STARTTLS offered)
"""
import os
import ssl
import smtplib
import sys
import threading
import uuid

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

port, users_file, spool, lmtp_port = int(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4])


def users():
    out = {}
    with open(users_file) as f:
        for line in f:
            if ':' in line:
                name, rest = line.split(':', 1)
                out[name] = rest.split(':', 1)[0].replace('{PLAIN}', '')
    return out


def authenticator(server, session, envelope, mechanism, auth_data):
    if not isinstance(auth_data, LoginPassword):
        return AuthResult(success=False, handled=False)
    login = auth_data.login.decode().split('@')[0].lower()
    ok = users().get(login) == auth_data.password.decode()
    return AuthResult(success=ok, handled=False)


class Handler:
    async def handle_DATA(self, server, session, envelope):
        data = envelope.original_content or envelope.content
        if isinstance(data, str):
            data = data.encode()
        name = os.path.join(spool, uuid.uuid4().hex)
        with open(name + '.tmp', 'wb') as f:
            f.write(('X-Rcpt: ' + ','.join(envelope.rcpt_tos) + '\r\n').encode() + data)
        os.rename(name + '.tmp', name + '.eml')
        local = [r for r in envelope.rcpt_tos if r.lower().endswith('@mail.test')]
        if local:
            try:
                with smtplib.LMTP('127.0.0.1', lmtp_port) as lmtp:
                    lmtp.sendmail(envelope.mail_from, local, data)
            except Exception as e:  # noqa: BLE001
                return '451 local delivery failed: %s' % e
        return '250 OK'


tls_context = None
if len(sys.argv) > 6:
    tls_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    tls_context.load_cert_chain(sys.argv[5], sys.argv[6])
controller = Controller(Handler(), hostname='127.0.0.1', port=port, authenticator=authenticator,
                        auth_required=True, auth_require_tls=False, data_size_limit=60 * 1024 * 1024,
                        tls_context=tls_context)
controller.start()
print('ready', flush=True)
threading.Event().wait()
