"""Region id -> service endpoint tables (docs/api/drs.md §2, docs/api/sms.md §1.1, docs/api/auth.md §3.2)."""

from __future__ import annotations

from dataclasses import dataclass

DRS_REGIONS: tuple[str, ...] = (
    "af-north-1", "af-south-1", "ae-ad-1",
    "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4", "ap-southeast-5",
    "cn-east-2", "cn-east-3", "cn-east-4", "cn-east-5",
    "cn-north-1", "cn-north-2", "cn-north-4", "cn-north-9", "cn-north-11", "cn-north-12",
    "cn-south-1", "cn-south-2", "cn-south-4", "cn-southwest-2", "cn-southwest-3",
    "eu-west-0", "eu-west-101", "la-north-2", "la-south-2", "me-east-1", "my-kualalumpur-1",
    "na-mexico-1", "ru-moscow-1", "ru-northwest-2", "sa-brazil-1", "tr-west-1",
)

# The one DRS region that is not on .myhuaweicloud.com.
_DRS_EXCEPTIONS = {"eu-west-101": "https://drs.eu-west-101.myhuaweicloud.eu"}

DRS_ENDPOINTS: dict[str, str] = {
    region: _DRS_EXCEPTIONS.get(region, f"https://drs.{region}.myhuaweicloud.com")
    for region in DRS_REGIONS
}

# SMS is reached through only four regional endpoints; ru-moscow-1 uses the "sms-api." host.
SMS_ENDPOINTS: dict[str, str] = {
    "cn-north-4": "https://sms.cn-north-4.myhuaweicloud.com",
    "ap-southeast-3": "https://sms.ap-southeast-3.myhuaweicloud.com",
    "my-kualalumpur-1": "https://sms.my-kualalumpur-1.myhuaweicloud.com",
    "ru-moscow-1": "https://sms-api.ru-moscow-1.myhuaweicloud.com",
}


class UnknownRegionError(ValueError):
    """A region with no known endpoint and no override."""


def iam_endpoint(region: str) -> str:
    return f"https://iam.{region}.myhuaweicloud.com"


def normalize_endpoint(url: str) -> str:
    """Give a scheme-less endpoint https:// (as the SDK does) and drop trailing slashes."""
    url = url.strip()
    if not url:
        raise ValueError("empty endpoint URL")
    if "://" not in url:
        url = "https://" + url
    return url.rstrip("/")


@dataclass(frozen=True)
class Endpoints:
    """Base URLs of the three services drstui talks to."""

    drs: str
    sms: str | None  # None: SMS has no endpoint in this region (see `sms_region`)
    iam: str

    def require_sms(self) -> str:
        if self.sms is None:
            raise UnknownRegionError(
                "no SMS endpoint for this region: set sms_region to one of "
                f"{', '.join(SMS_ENDPOINTS)} or give an SMS endpoint override"
            )
        return self.sms

    @classmethod
    def for_region(
        cls,
        region: str,
        *,
        endpoint: str | None = None,
        drs: str | None = None,
        sms: str | None = None,
        iam: str | None = None,
        sms_region: str | None = None,
    ) -> Endpoints:
        """Endpoints for `region`. `endpoint` overrides all three services at once (the
        simulator serves every path on one host); `drs`/`sms`/`iam` override one each.
        SMS only exists in four regions; `sms_region` picks which one to use (default: the
        same region, or none if SMS is not offered there)."""
        if endpoint:
            base = normalize_endpoint(endpoint)
            drs, sms, iam = drs or base, sms or base, iam or base
        drs_url = normalize_endpoint(drs) if drs else DRS_ENDPOINTS.get(region)
        sms_url = normalize_endpoint(sms) if sms else SMS_ENDPOINTS.get(sms_region or region)
        if sms_region and not sms and sms_url is None:
            raise UnknownRegionError(
                f"unknown SMS region {sms_region!r} (SMS regions: {', '.join(SMS_ENDPOINTS)})"
            )
        iam_url = normalize_endpoint(iam) if iam else (iam_endpoint(region) if region else None)
        if drs_url is None:
            raise UnknownRegionError(
                f"unknown DRS region {region!r}: set an endpoint override "
                f"(known regions: {', '.join(DRS_REGIONS)})"
            )
        assert iam_url is not None
        return cls(drs=drs_url, sms=sms_url, iam=iam_url)
