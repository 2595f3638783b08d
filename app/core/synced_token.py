"""The synced token's record: the credential with when it was minted and when it expires (seed 000).

`launchpad token-sync push` writes it as the synced-token secret's value (JSON) and as the token-sync
bucket's current object; the app reads its `token` field like any provider key; the nightly job and
`launchpad token-sync status` compute the age that the `synced_token_age` alarm watches from it.
Standard library only: the `launchpad` CLI imports it without the app's dependencies.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import UTC, datetime

from app import contract

# An expired token is reported at least this old: one hour past the largest alarm threshold a stack may
# set, so its alarm fires whatever `alarmSyncedTokenAgeHours` says.
EXPIRED_AGE_SECONDS = (contract.SYNCED_TOKEN_ALARM_MAX_HOURS + 1) * 3600


@dataclass(frozen=True)
class TokenRecord:
    token: str
    minted_at: datetime
    expires_at: datetime | None

    def to_json(self) -> str:
        return json.dumps(
            {
                "token": self.token,
                "minted_at": self.minted_at.isoformat(),
                "expires_at": self.expires_at.isoformat() if self.expires_at else None,
            }
        )

    def __repr__(self) -> str:  # a record in a traceback or a log line must not show the credential
        return f"TokenRecord(token=[secret], minted_at={self.minted_at!r}, expires_at={self.expires_at!r})"


def jwt_claims(token: str) -> dict[str, object]:
    """The claims of a token that is a JWT, else {}. Not verified, on purpose: only the issuer's `iat` and
    `exp` are read, to schedule the next push; the provider that accepts the token is what verifies it. The
    standard library decodes the payload, so no JWT library is needed for that."""
    parts = token.split(".")
    if len(parts) != 3:
        return {}
    payload = parts[1] + "=" * (-len(parts[1]) % 4)
    try:
        claims = json.loads(base64.urlsafe_b64decode(payload))
    except (binascii.Error, ValueError):
        return {}
    return claims if isinstance(claims, dict) else {}


def claim_time(claims: dict[str, object], name: str) -> datetime | None:
    value = claims.get(name)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        return datetime.fromtimestamp(value, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None


def _time(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def parse_record(raw: str, stored_at: datetime) -> TokenRecord:
    """The record in a secret's value. A value set outside token-sync (a bare token) counts as minted when
    it was stored, unless it is a JWT that says when it was issued and when it expires."""
    try:
        parsed = json.loads(raw)
    except ValueError:
        parsed = None
    if isinstance(parsed, dict) and isinstance(parsed.get("token"), str):
        minted = _time(parsed.get("minted_at")) or stored_at
        return TokenRecord(parsed["token"], minted, _time(parsed.get("expires_at")))
    token = raw.strip()
    claims = jwt_claims(token)
    return TokenRecord(token, claim_time(claims, "iat") or stored_at, claim_time(claims, "exp"))


def age_seconds(minted_at: datetime, expires_at: datetime | None, now: datetime) -> float:
    """What `synced_token_age` reports: seconds since minting; an expired token at least EXPIRED_AGE."""
    age = max(0.0, (now - minted_at).total_seconds())
    if expires_at is not None and expires_at <= now:
        return max(age, float(EXPIRED_AGE_SECONDS))
    return age
