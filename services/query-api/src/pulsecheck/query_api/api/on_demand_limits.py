"""Rate limits of the on-demand routes (check-now, POST and GET check-ssl): per API key and
per account, all of its keys together, so minting keys does not multiply the budget."""

from __future__ import annotations

import math
import time

from pulsecheck.query_api.api.context import AppContext
from pulsecheck.query_api.api.errors import ApiError
from pulsecheck.query_api.rate_limit import Quota
from pulsecheck.read_model.storage.key_access import KeyAccess


def on_demand_quotas(context: AppContext, key: KeyAccess) -> list[Quota]:
    settings = context.settings
    return [
        (f"on-demand:key:{key.key_id}", settings.on_demand_per_minute_per_key),
        (f"on-demand:account:{key.account_id}", settings.on_demand_per_minute_per_account),
    ]


def admit_or_refuse(context: AppContext, quotas: list[Quota]) -> None:
    """Count the request against every quota, or raise 429 with Retry-After."""
    wait = context.rate_limiter.admit_quotas(quotas, time.monotonic())
    if wait <= 0.0:
        return
    retry_after = max(1, math.ceil(wait))
    raise ApiError(
        429,
        "rate_limited",
        f"too many on-demand checks; retry in {retry_after} s",
        headers={"Retry-After": str(retry_after)},
        retry_after_seconds=retry_after,
    )
