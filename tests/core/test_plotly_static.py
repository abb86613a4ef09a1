"""plotly.js (4.8 MB) is served compressed and cached for good under a content-hashed URL, in
the development and demo setup (WhiteNoise serving from the finders) as in production."""

from __future__ import annotations

import gzip
import re

from django.templatetags.static import static

from gaoxin.core.staticfinders import PLOTLY_NAME, _plotly_source

TEN_YEARS = 10 * 365 * 24 * 3600


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_plotly_url_carries_the_content_hash() -> None:
    assert re.fullmatch(r"/static/vendor/plotly\.min\.[0-9a-f]{12}\.js", static(PLOTLY_NAME))


def test_plotly_is_sent_gzipped_with_a_long_max_age(client) -> None:
    source = _plotly_source().read_bytes()
    response = client.get(static(PLOTLY_NAME), headers={"accept-encoding": "gzip, deflate, br"})
    assert response.status_code == 200
    assert response["Content-Encoding"] in {"gzip", "br"}
    assert "Accept-Encoding" in response["Vary"]
    cache = response["Cache-Control"]
    assert "immutable" in cache
    max_age = int(re.search(r"max-age=(\d+)", cache).group(1))
    assert max_age >= TEN_YEARS
    body = _body(response)
    assert int(response["Content-Length"]) == len(body) < len(source) / 3  # 4.8 MB → ~1.4 MB
    if response["Content-Encoding"] == "gzip":
        assert gzip.decompress(body) == source


def test_a_client_without_gzip_gets_the_plain_file(client) -> None:
    response = client.get(static(PLOTLY_NAME), headers={"accept-encoding": "identity"})
    assert response.status_code == 200
    assert not response.has_header("Content-Encoding")
    assert _body(response) == _plotly_source().read_bytes()
