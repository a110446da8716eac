"""A local GOV.UK Notify: an HTTP server (stdlib, in a thread) implementing the endpoints
Upstream uses, so tests drive the official client (``notifications_python_client``) over real
HTTP and the server checks what the client sends, as Notify does:

- ``POST /v2/notifications/sms``, ``/email``, ``/letter`` and ``GET /v2/notifications/{id}``;
- the ``Authorization: Bearer <JWT>`` header: HS256, signed with the API key's secret, ``iss``
  the service id and ``iat`` within 30 seconds of now (Notify's rules); otherwise 403
  ``AuthError``;
- the JSON body: required fields, ``template_id`` a known template of the right type, every
  ``((placeholder))`` of the template given in ``personalisation``, a UK mobile number, an
  email address, at least 3 address lines with a postcode last; otherwise 400
  ``BadRequestError`` / ``ValidationError`` with Notify's messages;
- answers with the documented response shapes (201 with ``id``, ``reference``, ``content``,
  ``uri``, ``template``, ``scheduled_for``), and errors as ``{"status_code": n, "errors":
  [{"error": ..., "message": ...}]}``.

``fail_next(status)`` makes the next request fail as Notify documents for 400, 403, 429, 500.
"""

import json
import re
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt

TOKEN_BOUND_SECONDS = 30
PLACEHOLDER = re.compile(r"\(\(([^()]+)\)\)")
UK_MOBILE = re.compile(r"^(?:\+44|0044|0)7\d{9}$")
POSTCODE = re.compile(r"^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$", re.IGNORECASE)

DOCUMENTED_ERRORS = {
    400: ("BadRequestError", "Can't send to this recipient using a team-only API key"),
    403: ("AuthError", "Invalid token: API key not found"),
    429: ("RateLimitError", "Exceeded rate limit for key type LIVE of 3000 requests per 60 "
                            "seconds"),
    500: ("Exception", "Internal server error"),
}
"""One documented error per status code (GOV.UK Notify API documentation, error codes)."""


@dataclass
class Template:
    id: str
    type: str
    body: str
    subject: str = ""


@dataclass
class Received:
    method: str
    path: str
    body: dict
    claims: dict


@dataclass
class FakeNotify:
    """The fake service. ``api_key`` is a key in Notify's format for it."""

    service_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    secret: str = field(default_factory=lambda: str(uuid.uuid4()))
    templates: dict[str, Template] = field(default_factory=dict)
    notifications: dict[str, dict] = field(default_factory=dict)
    received: list[Received] = field(default_factory=list)
    failures: list[int] = field(default_factory=list)
    base_url: str = ""

    @property
    def api_key(self) -> str:
        return f"upstream_test-{self.service_id}-{self.secret}"

    def add_template(self, type_: str, body: str = "((body))", subject: str = "") -> str:
        template = Template(str(uuid.uuid4()), type_, body, subject)
        self.templates[template.id] = template
        return template.id

    def fail_next(self, status: int) -> None:
        self.failures.append(status)

    def set_status(self, notification_id: str, status: str) -> None:
        """Move a notification on, as Notify does when the phone company, email provider or
        printer reports back."""
        self.notifications[notification_id]["status"] = status

    # -- the API -------------------------------------------------------------------------------

    def handle(self, method: str, path: str, headers, raw: bytes) -> tuple[int, dict]:
        claims, problem = self._authorise(headers.get("Authorization", ""))
        if problem:
            return _error(403, "AuthError", problem)
        try:
            body = json.loads(raw or b"{}") if method == "POST" else {}
        except ValueError:
            return _error(400, "BadRequestError", "Invalid JSON supplied in POST data")
        self.received.append(Received(method, path, body, claims))
        if self.failures:
            status = self.failures.pop(0)
            return _error(status, *DOCUMENTED_ERRORS[status])
        if method == "POST" and path in ("/v2/notifications/sms", "/v2/notifications/email",
                                         "/v2/notifications/letter"):
            return self._send(path.rsplit("/", 1)[1], body)
        if method == "GET" and (match := re.fullmatch(r"/v2/notifications/([^/]+)", path)):
            found = self.notifications.get(match.group(1))
            if found is None:
                return _error(404, "NoResultFound", "No result found")
            return 200, found
        return _error(404, "NotFound", "The requested URL was not found on the server.")

    def _authorise(self, header: str) -> tuple[dict, str | None]:
        if not header.startswith("Bearer "):
            return {}, "Unauthorized: authentication token must be provided"
        token = header[len("Bearer "):]
        try:
            claims = jwt.decode(token, self.secret, algorithms=["HS256"],
                                options={"require": ["iss", "iat"], "verify_iat": False})
        except jwt.PyJWTError as error:
            return {}, f"Invalid token: signature, api token not found ({error})"
        if jwt.get_unverified_header(token).get("typ") != "JWT":
            return {}, "Invalid token: type is not JWT"
        if claims["iss"] != self.service_id:
            return {}, "Invalid token: service not found"
        if abs(time.time() - claims["iat"]) > TOKEN_BOUND_SECONDS:
            return {}, "Error: Your system clock must be accurate to within 30 seconds"
        return claims, None

    def _send(self, kind: str, body: dict) -> tuple[int, dict]:
        template = self.templates.get(str(body.get("template_id", "")))
        if template is None:
            return _error(400, "BadRequestError", "Template not found")
        if template.type != kind:
            return _error(400, "BadRequestError",
                          f"{kind} template is not suitable for {template.type} notification")
        personalisation = body.get("personalisation") or {}
        if not isinstance(personalisation, dict):
            return _error(400, "ValidationError", "personalisation is not of type object")
        missing = [p for p in PLACEHOLDER.findall(template.subject + template.body)
                   if p not in personalisation]
        if missing:
            return _error(400, "BadRequestError",
                          f"Missing personalisation: {', '.join(missing)}")
        recipient, problem = _recipient(kind, body, personalisation)
        if problem:
            return _error(400, "ValidationError", problem)
        notification_id = str(uuid.uuid4())
        content_body = PLACEHOLDER.sub(lambda m: str(personalisation[m.group(1)]), template.body)
        subject = PLACEHOLDER.sub(lambda m: str(personalisation[m.group(1)]), template.subject)
        content = {"body": content_body}
        if kind == "sms":
            content["from_number"] = "GOVUK"
        if kind == "email":
            content.update(subject=subject, from_email="upstream@notifications.service.gov.uk",
                           one_click_unsubscribe_url=None)
        if kind == "letter":
            content["subject"] = subject
        response = {
            "id": notification_id,
            "reference": body.get("reference"),
            "content": content,
            "uri": f"{self.base_url}/v2/notifications/{notification_id}",
            "template": {"id": template.id, "version": 1,
                         "uri": f"{self.base_url}/services/{self.service_id}/templates/"
                                f"{template.id}"},
            "scheduled_for": None,
        }
        if kind == "letter":
            response["postage"] = "second"
        self.notifications[notification_id] = {
            "id": notification_id, "reference": body.get("reference"), "type": kind,
            "status": "accepted" if kind == "letter" else "delivered",
            "template": response["template"], "body": content_body, "subject": subject or None,
            "created_at": time.strftime("%Y-%m-%dT%H:%M:%S.000000Z", time.gmtime()),
            **recipient,
        }
        return 201, response

    # -- serving -------------------------------------------------------------------------------

    def serve(self) -> "RunningServer":
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self, method):
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                status, payload = fake.handle(method, self.path, self.headers, raw)
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self):
                self._answer("POST")

            def do_GET(self):
                self._answer("GET")

            def log_message(self, *args):  # keep test output quiet
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base_url = f"http://127.0.0.1:{server.server_address[1]}"
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        return RunningServer(server, thread)


@dataclass
class RunningServer:
    server: ThreadingHTTPServer
    thread: threading.Thread

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


def _error(status: int, error: str, message: str) -> tuple[int, dict]:
    return status, {"status_code": status, "errors": [{"error": error, "message": message}]}


def _recipient(kind: str, body: dict, personalisation: dict) -> tuple[dict, str | None]:
    if kind == "sms":
        number = re.sub(r"[\s()-]", "", str(body.get("phone_number") or ""))
        if not number:
            return {}, "phone_number is a required property"
        if not UK_MOBILE.match(number):
            return {}, "phone_number Not a UK mobile number"
        return {"phone_number": body["phone_number"]}, None
    if kind == "email":
        address = str(body.get("email_address") or "")
        if not address:
            return {}, "email_address is a required property"
        if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", address):
            return {}, "email_address Not a valid email address"
        return {"email_address": address}, None
    lines = [str(personalisation.get(f"address_line_{n}") or "").strip() for n in range(1, 8)]
    given = [line for line in lines if line]
    if len(given) < 3:
        return {}, "Address must be at least 3 lines"
    if not POSTCODE.match(given[-1]):
        return {}, "Must be a real UK postcode"
    return {f"line_{n}": line for n, line in enumerate(given, start=1)}, None
