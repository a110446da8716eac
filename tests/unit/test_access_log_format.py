"""The access log of ``upstream serve`` never records what someone typed into a GET form
(the public "Find support" search): no query string, no referring page."""

import datetime
from types import SimpleNamespace

from gunicorn.config import Config
from gunicorn.glogging import Logger

from upstream.service.command import ACCESS_LOG_FORMAT


def _logged_line(fmt: str) -> str:
    config = Config()
    config.set("accesslog", "-")
    config.set("access_log_format", fmt)
    logger = Logger(config)
    environ = {
        "REQUEST_METHOD": "GET", "RAW_URI": "/find-support/?text=cant+pay+rent&postcode=E1+6AN",
        "PATH_INFO": "/find-support/", "QUERY_STRING": "text=cant+pay+rent&postcode=E1+6AN",
        "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "192.0.2.1",
        "HTTP_REFERER": "https://upstream.example/find-support/?text=lonely&postcode=E1+6AN",
        "HTTP_USER_AGENT": "test",
    }
    response = SimpleNamespace(status="200 OK", sent=10, headers=[])
    atoms = logger.atoms(response, SimpleNamespace(headers=[]), environ,
                         datetime.timedelta(milliseconds=5))
    return fmt % atoms


def test_the_log_line_has_the_path_but_not_what_was_typed():
    line = _logged_line(ACCESS_LOG_FORMAT)
    assert '"GET /find-support/ HTTP/1.1" 200' in line
    for typed in ("pay", "rent", "lonely", "E1", "6AN"):
        assert typed not in line


def test_gunicorns_default_format_would_have_logged_it():
    assert "cant+pay+rent" in _logged_line(Config().access_log_format)
