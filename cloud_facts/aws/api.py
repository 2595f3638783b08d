"""What every AWS API shares: tag values, the region inside an ARN, and the service models botocore ships
(the shapes the APIs validate their JSON documents against)."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import botocore.session
from botocore.exceptions import ParamValidationError
from botocore.validate import ParamValidator

# Tag values common to AWS services: letters, digits, spaces and + - = . _ : / @, at most 256
# (https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html#tag-conventions).
TAG_VALUE_PATTERN = r"^[A-Za-z0-9_ .:/=+\-@]{1,256}$"  # ASCII: stricter than AWS, valid everywhere

_ARN_REGION = re.compile(r"arn:aws[a-z-]*:[a-z0-9-]+:(?P<region>[a-z0-9-]*):")


@dataclass(frozen=True)
class SameRegion:
    """Two ARN properties of one resource name the same region (a log destination and its web ACL)."""

    first: str
    second: str

    def problems(self, props: Mapping[str, Any]) -> list[str]:
        def regions(value: Any) -> set[str]:
            # Policy inputs arrive as proxies: lists as Sequences, not lists.
            values = value if isinstance(value, Sequence) and not isinstance(value, str) else [value]
            found = (_ARN_REGION.match(str(v)) for v in values if v)
            return {m["region"] for m in found if m and m["region"]}

        a, b = regions(props.get(self.first)), regions(props.get(self.second))
        if not a or not b or a == b:
            return []
        return [f"{self.first} is in {sorted(a)} but {self.second} in {sorted(b)}; they must share a region"]


@dataclass(frozen=True)
class ApiShape:
    """A JSON document input validated against a shape of the AWS API (botocore's model of the service)."""

    service: str
    shape: str

    def problems(self, document: Any) -> list[str]:
        value = json.loads(document) if isinstance(document, str) else document
        model = botocore.session.get_session().get_service_model(self.service).shape_for(self.shape)
        report = ParamValidator().validate(value, model)
        if not report.has_errors():
            return []
        return [str(ParamValidationError(report=report.generate_report())).replace("\n", " ")]
