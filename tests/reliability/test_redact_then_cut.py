"""Secrets are masked before a message is cut: half a token is no longer recognisable, so
cutting first would let most of a live token through (stderr, the cutover log, the screen)."""

from __future__ import annotations

import pytest

from drstui.api.errors import ApiError
from drstui.logs import clear_secrets, register_secret
from drstui.monitor.reasons import describe
from drstui.ui.formatting import one_line

TOKEN = "MIIEhQYJKoZIhvcNAQcCoIIEdjCCBHICAQExDTALBglghkgBZQMEAgEwggLXBgkqhkiG9w0BBwGgggLIBIICxHsidG9rZW4iOnsi" * 4


@pytest.fixture(autouse=True)
def _secret():
    register_secret(TOKEN)
    yield
    clear_secrets()


def leaked(text: str) -> bool:
    # Any 16 characters of the token in a row would be a leak.
    return any(TOKEN[i:i + 16] in text for i in range(0, len(TOKEN) - 16))


@pytest.mark.parametrize("prefix", ["", "x" * 40, "x" * 120, "x" * 250])
def test_api_error_str_masks_a_token_that_the_cut_would_split(prefix):
    error = ApiError(f"{prefix} token {TOKEN} rejected", status=401, error_code="APIGW.0301")
    text = str(error)
    assert not leaked(text), text
    assert "***" in text


@pytest.mark.parametrize("prefix", ["", "x" * 40, "x" * 120])
def test_reason_line_masks_a_token_that_the_cut_would_split(prefix):
    error = ApiError(f"{prefix} token {TOKEN} rejected", status=401, error_code="APIGW.0301")
    reason = describe(error)
    assert not leaked(reason), reason
    assert len(reason) <= 160
    plain = describe(RuntimeError(f"{prefix} {TOKEN}"))
    assert not leaked(plain), plain


def test_screen_one_line_masks_before_cutting():
    assert not leaked(one_line(f"failed: {TOKEN}", limit=60))
