"""/healthz tells a load balancer ok or fail, and tells the public nothing more."""
import logging
from unittest import mock

from django.db import OperationalError


def test_healthz_answers_ok_when_the_database_answers(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_answers_only_fail_and_logs_the_error_when_the_database_does_not(client, caplog):
    failure = OperationalError('could not connect to server at "db.internal" (10.0.0.5), port 5432')
    with mock.patch("cms.views._check_database", side_effect=failure), \
            caplog.at_level(logging.ERROR, logger="cms.views"):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "fail"}
    assert b"db.internal" not in response.content
    [record] = [r for r in caplog.records if r.name == "cms.views"]
    assert record.exc_info[1] is failure  # the server's log keeps the whole error


def test_healthz_fails_when_the_query_itself_fails(client, caplog):
    with mock.patch("django.db.backends.utils.CursorWrapper.execute", side_effect=OperationalError("disk I/O error")), \
            caplog.at_level(logging.ERROR, logger="cms.views"):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "fail"}
    assert "disk I/O error" in caplog.text
