"""Region -> endpoint tables and overrides."""

from __future__ import annotations

import pytest

from drstui.api.endpoints import DRS_ENDPOINTS, SMS_ENDPOINTS, Endpoints, UnknownRegionError


def test_tables():
    assert len(DRS_ENDPOINTS) == 34
    assert DRS_ENDPOINTS["eu-west-101"] == "https://drs.eu-west-101.myhuaweicloud.eu"
    assert DRS_ENDPOINTS["cn-north-4"] == "https://drs.cn-north-4.myhuaweicloud.com"
    assert len(SMS_ENDPOINTS) == 4
    assert SMS_ENDPOINTS["ru-moscow-1"] == "https://sms-api.ru-moscow-1.myhuaweicloud.com"


def test_for_region():
    ep = Endpoints.for_region("cn-north-4")
    assert ep == Endpoints("https://drs.cn-north-4.myhuaweicloud.com",
                           "https://sms.cn-north-4.myhuaweicloud.com",
                           "https://iam.cn-north-4.myhuaweicloud.com")


def test_region_without_sms():
    ep = Endpoints.for_region("cn-east-3")
    assert ep.sms is None
    with pytest.raises(UnknownRegionError, match="sms_region"):
        ep.require_sms()
    assert Endpoints.for_region("cn-east-3", sms_region="cn-north-4").sms == SMS_ENDPOINTS["cn-north-4"]
    with pytest.raises(UnknownRegionError):
        Endpoints.for_region("cn-east-3", sms_region="mars-1")


def test_single_override_sets_all_three():
    ep = Endpoints.for_region("anywhere-1", endpoint="127.0.0.1:8080/")
    assert ep.drs == ep.sms == ep.iam == "https://127.0.0.1:8080"
    ep = Endpoints.for_region("x", endpoint="http://127.0.0.1:8080")
    assert ep.drs == "http://127.0.0.1:8080"


def test_per_service_override():
    ep = Endpoints.for_region("cn-north-4", drs="drs.internal", iam="http://iam.local")
    assert ep.drs == "https://drs.internal" and ep.iam == "http://iam.local"
    assert ep.sms == SMS_ENDPOINTS["cn-north-4"]


def test_unknown_region_is_clear():
    with pytest.raises(UnknownRegionError, match="unknown DRS region 'mars-1'.*override"):
        Endpoints.for_region("mars-1")
