"""drstui API layer: typed async clients for DRS (v3/v5), SMS (v3) and IAM. No UI here.

Typical use::

    from drstui.api import AkSkAuth, CloudClient, Endpoints
    cloud = CloudClient("cn-north-4", auth=AkSkAuth(ak, sk), project_id=pid)
    jobs = await cloud.drs.list_jobs()
    await cloud.aclose()
"""

from .cloud import CloudClient
from .drs import DrsClient
from .endpoints import DRS_ENDPOINTS, SMS_ENDPOINTS, Endpoints, UnknownRegionError
from .errors import ApiError
from .files import save_stream_atomically
from .retry import RetryPolicy
from .signing import AkSkAuth, build_url
from .sms import SmsClient, SmsExportBatchResult
from .token import TokenAuth
from .transport import HttpSession, RequestRecord

__all__ = [
    "AkSkAuth", "ApiError", "CloudClient", "DRS_ENDPOINTS", "DrsClient", "Endpoints",
    "HttpSession", "RequestRecord", "RetryPolicy", "SMS_ENDPOINTS", "SmsClient",
    "SmsExportBatchResult", "TokenAuth", "UnknownRegionError", "build_url",
    "save_stream_atomically",
]
