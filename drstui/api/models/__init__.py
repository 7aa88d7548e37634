"""Typed results of the DRS, SMS and IAM APIs (plain frozen dataclasses, no UI)."""

from .drs import *  # noqa: F401,F403
from .enums import *  # noqa: F401,F403
from .iam import TokenInfo  # noqa: F401
from .sms import *  # noqa: F401,F403
