"""A small OpenID Connect issuer for the sign-in tests, served on a free
port: discovery, an authorization endpoint that signs in the person the test
names (no login form: that is the identity provider's business), a token
endpoint that checks the client's secret, the redirect URI and the PKCE
verifier (S256) before it answers, keys (JWKS) for the ID token, and an
end-session endpoint. It records what it was asked, for the test to check.

The access token it hands out is one the embedded stack accepts (signed with
the development key), as a real provider's is one the services accept."""
from __future__ import annotations

import base64
import hashlib
import secrets
import threading
import time
from urllib.parse import urlencode

from joserfc import jwt
from joserfc.jwk import RSAKey
from flask import Flask, abort, jsonify, redirect, request
from werkzeug.serving import make_server

from carebridge.auth import issue_token
from carebridge.config import Settings


class FakeIssuer:
    def __init__(self, client_id: str, client_secret: str):
        self.client_id, self.client_secret = client_id, client_secret
        self.key = RSAKey.generate_key(2048, parameters={"kid": "test-key"})
        self.person = None          # who signs in at the next authorization request
        self.authorizations: list[dict] = []
        self.token_requests: list[dict] = []
        self.refused: list[str] = []
        self.ended: list[dict] = []
        self.id_tokens: list[str] = []
        self._codes: dict[str, dict] = {}
        self.app = self._app()
        self.server = make_server("127.0.0.1", 0, self.app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, name="fake-issuer", daemon=True)

    def start(self) -> "FakeIssuer":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()

    def _refuse(self, reason: str, status: int = 400):
        self.refused.append(reason)
        return jsonify(error="invalid_grant", error_description=reason), status

    def _app(self) -> Flask:
        app = Flask("fake-issuer")

        @app.get("/.well-known/openid-configuration")
        def discovery():
            return {"issuer": self.url, "authorization_endpoint": f"{self.url}/authorize",
                    "token_endpoint": f"{self.url}/token", "jwks_uri": f"{self.url}/jwks",
                    "end_session_endpoint": f"{self.url}/logout", "response_types_supported": ["code"],
                    "subject_types_supported": ["public"], "id_token_signing_alg_values_supported": ["RS256"],
                    "code_challenge_methods_supported": ["S256"],
                    "token_endpoint_auth_methods_supported": ["client_secret_basic"]}

        @app.get("/jwks")
        def jwks():
            return {"keys": [self.key.as_dict(private=False)]}

        @app.get("/authorize")
        def authorize():
            asked = request.args.to_dict()
            self.authorizations.append(asked)
            if asked.get("client_id") != self.client_id or asked.get("response_type") != "code":
                abort(400)
            code = secrets.token_urlsafe(24)
            self._codes[code] = {**asked, "person": self.person}
            return redirect(asked["redirect_uri"] + "?" + urlencode({"code": code, "state": asked.get("state", "")}))

        @app.post("/token")
        def token():
            form = request.form.to_dict()
            self.token_requests.append({**form, "authorization": request.headers.get("Authorization", "")})
            expected = "Basic " + base64.b64encode(f"{self.client_id}:{self.client_secret}".encode()).decode()
            if request.headers.get("Authorization") != expected:
                return self._refuse("client authentication failed", 401)
            if form.get("grant_type") != "authorization_code":
                return self._refuse("unsupported grant")
            granted = self._codes.pop(form.get("code", ""), None)   # a code is good once
            if granted is None:
                return self._refuse("unknown or used code")
            if form.get("redirect_uri") != granted["redirect_uri"]:
                return self._refuse("redirect_uri differs from the authorization request's")
            verifier = form.get("code_verifier", "")
            challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
            if granted.get("code_challenge_method") != "S256" or challenge != granted.get("code_challenge"):
                return self._refuse("PKCE verifier does not match the challenge")
            person = granted["person"]
            now = int(time.time())
            claims = {"iss": self.url, "sub": person.id, "aud": self.client_id, "iat": now, "exp": now + 300,
                      "auth_time": now, "name": person.name}
            if granted.get("nonce"):
                claims["nonce"] = granted["nonce"]
            id_token = jwt.encode({"alg": "RS256", "kid": "test-key"}, claims, self.key)
            self.id_tokens.append(id_token)
            access = issue_token(Settings.from_env("tests"), [person.role], subject=person.id, ttl_seconds=300)
            return {"access_token": access, "token_type": "Bearer", "expires_in": 300, "id_token": id_token,
                    "refresh_token": secrets.token_urlsafe(24), "scope": granted.get("scope", "")}

        @app.get("/logout")
        def logout():
            self.ended.append(request.args.to_dict())
            return redirect(request.args["post_logout_redirect_uri"])

        return app
