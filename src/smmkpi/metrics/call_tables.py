"""The small tables every KPI computation registers beside the canonical ones: their names and
Arrow schemas. Everything that varies between calls — the periods, the clients, their brand
hashtags — arrives through them, so the compiled SQL never changes (``queries.py`` builds the
queries against the same tables as Ibis tables; a test keeps the two schemas equal)."""

from __future__ import annotations

import pyarrow as pa

BOUNDS_TABLE = "kpi_bounds"
BRAND_TAGS_TABLE = "kpi_brand_tags"
ACCOUNT_INPUTS_TABLE = "kpi_account_inputs"

BOUNDS_SCHEMA = pa.schema(
    {
        "client_id": pa.string(),
        "period_index": pa.int64(),
        "start_date": pa.date32(),
        "end_date": pa.date32(),
        "lookback_date": pa.date32(),
        "days": pa.int64(),
        "start_utc": pa.timestamp("us", tz="UTC"),
        "end_utc": pa.timestamp("us", tz="UTC"),
        "has_brand_tags": pa.bool_(),
    }
)
"""One row per client and period: the period's number in the call, its local days (start,
end, the first day of the followers look-back, the number of days) and the same period as a
half-open interval of UTC instants in the client's time zone."""

BRAND_TAGS_SCHEMA = pa.schema({"client_id": pa.string(), "tag": pa.string()})
"""One row per client and normalised brand hashtag, padded with spaces for whole-tag matching."""

ACCOUNT_KEY = ["account_id", "period_index"]
CLIENT_KEY = ["client_id", "period_index"]
