"""drstui: a terminal monitor for Huawei Cloud DRS comparisons and SMS consistency exports."""

__version__ = "0.1.0"
