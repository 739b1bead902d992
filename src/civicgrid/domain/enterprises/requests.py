"""Enterprise requests: each kind is a minor class of the enterprise-service class."""

from __future__ import annotations

from enum import StrEnum

ENTERPRISE_SERVICE_CLASS = "event:10"
"""企业服务（万人助万企）, civicgrid's event major class 10: every category code of an
enterprise request starts with this."""


class RequestKind(StrEnum):
    PERMIT = "permit"
    ELECTRICITY = "electricity"
    WATER = "water"
    GAS = "gas"
    FINANCING = "financing"
    LAND = "land"
    LABOUR = "labour"
    POLICY = "policy"
    BUSINESS_ENVIRONMENT = "business_environment"

    @property
    def category(self) -> str:
        """The minor class of the category tree a request of this kind is filed under."""
        return f"{ENTERPRISE_SERVICE_CLASS}{_MINOR[self]}"

    @property
    def name_zh(self) -> str:
        return _ZH[self]


_MINOR = {
    RequestKind.PERMIT: "01",
    RequestKind.ELECTRICITY: "02",
    RequestKind.WATER: "03",
    RequestKind.GAS: "04",
    RequestKind.FINANCING: "05",
    RequestKind.LAND: "06",
    RequestKind.LABOUR: "07",
    RequestKind.POLICY: "08",
    RequestKind.BUSINESS_ENVIRONMENT: "09",
}

_ZH = {
    RequestKind.PERMIT: "审批服务",
    RequestKind.ELECTRICITY: "用电保障",
    RequestKind.WATER: "用水保障",
    RequestKind.GAS: "用气保障",
    RequestKind.FINANCING: "融资需求",
    RequestKind.LAND: "用地需求",
    RequestKind.LABOUR: "用工需求",
    RequestKind.POLICY: "惠企政策兑现",
    RequestKind.BUSINESS_ENVIRONMENT: "营商环境问题",
}
