"""Run the test portal: ``python -m nhiemvu.accounts.tests.oidc_provider PORT``.

Migrates its own SQLite file, creates the people (PORTAL_PEOPLE) and our application (client id
and secret, redirect URIs from PORTAL_REDIRECT_URIS), prints READY and serves until killed."""

from __future__ import annotations

import os
import sys
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _Quiet(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def main() -> None:
    port = int(sys.argv[1])
    os.environ["DJANGO_SETTINGS_MODULE"] = "nhiemvu.accounts.tests.oidc_provider.settings"
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.core.wsgi import get_wsgi_application
    from oauth2_provider.models import Application

    from nhiemvu.accounts.tests.oidc_provider.urls import people

    call_command("migrate", verbosity=0, interactive=False)
    for username, person in people().items():
        User.objects.create_user(username=username, password=person["password"])
    Application.objects.create(
        name="nhiemvu",
        client_id=os.environ["PORTAL_CLIENT_ID"],
        client_secret=os.environ["PORTAL_CLIENT_SECRET"],
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=os.environ["PORTAL_REDIRECT_URIS"],
        post_logout_redirect_uris=os.environ.get("PORTAL_LOGOUT_URIS", ""),
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
    )
    server = make_server(
        "127.0.0.1", port, get_wsgi_application(), server_class=_Server, handler_class=_Quiet
    )
    print("READY", flush=True)  # noqa: T201 - the parent waits for this line
    server.serve_forever()


if __name__ == "__main__":
    main()
