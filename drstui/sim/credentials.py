"""The simulated account's credentials and their documented defaults.

It is a simulator: these are fake, public values, printed by ``drstui sim`` on start.

============  ===================================  =========================================
field         default                              used for
============  ===================================  =========================================
ak            ``DRSSIMACCESSKEY00001``             AK/SK signing (``Access=`` in Authorization)
sk            ``drs-sim-secret-key``               AK/SK signing (HMAC key)
project_id    ``054ba152d480d55b2f5dc0069e7ddef0``  ``/v3/{project_id}/...`` paths, X-Project-Id
region        ``cn-north-4``                       token scope (project name), ``Region`` header
user          ``drs-sim``                          IAM password login
password      ``drs-sim-password``                 IAM password login
domain        ``drs-sim-domain``                   IAM password login (account name)
endpoint      ``http://drs-sim.invalid``            base URL for in-process use (host ignored)
============  ===================================  =========================================
"""

from __future__ import annotations

from dataclasses import dataclass

from .world import PROJECT_ID, REGION

DEFAULT_AK = "DRSSIMACCESSKEY00001"
DEFAULT_SK = "drs-sim-secret-key"
DEFAULT_USER = "drs-sim"
DEFAULT_PASSWORD = "drs-sim-password"
DEFAULT_DOMAIN = "drs-sim-domain"
IN_PROCESS_ENDPOINT = "http://drs-sim.invalid"


# The simulated regions (profile name, region, project id): the first is the default account;
# `drstui sim --regions N` and `drstui --demo` serve the first N, each a world of its own.
SIM_REGIONS = (
    ("bj4", REGION, PROJECT_ID),
    ("sh1", "cn-east-3", "0a3c6f2e9b7d4e51a8c2f04d6b1e9a73"),
    ("gz1", "cn-south-1", "5e8d1c0b7a2f4396b1e0c7d2a4f68b15"),
    ("hk1", "ap-southeast-1", "c41f7a0e2d9b4c86a3e5f1b0d7c2e948"),
)


@dataclass(frozen=True)
class SimCredentials:
    ak: str = DEFAULT_AK
    sk: str = DEFAULT_SK
    project_id: str = PROJECT_ID
    region: str = REGION
    user: str = DEFAULT_USER
    password: str = DEFAULT_PASSWORD
    domain: str = DEFAULT_DOMAIN
    endpoint: str = IN_PROCESS_ENDPOINT

    def __repr__(self) -> str:  # keep secrets out of accidental logs
        return (f"SimCredentials(ak={self.ak!r}, project_id={self.project_id!r}, region={self.region!r}, "
                f"user={self.user!r}, domain={self.domain!r}, endpoint={self.endpoint!r})")
