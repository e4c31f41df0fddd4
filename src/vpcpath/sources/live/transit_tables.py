"""The per-table transit gateway calls: routes (static and propagated), propagations,
associations — each answer saved raw, in a file named after its table (the answers do not name
it), which the folder loader reads back (``sources/transit_collect.py``)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from vpcpath.sources.live import calls
from vpcpath.sources.live.calls import AwsCall
from vpcpath.sources.live.fetch import Answer

# (call, parameters, what is missing when refused) → the answer, None when refused.
CallFn = Callable[[AwsCall, dict[str, Any], str], Answer | None]
SaveFn = Callable[[str, dict[str, Any], AwsCall], None]


def transit_table_requests(table_ids: Sequence[str]) -> int:
    return len(table_ids) * (len(calls.TGW_ROUTE_TYPES) + 2)


def collect_transit_tables(call: CallFn, save: SaveFn, table_ids: Sequence[str]) -> None:
    """Read every table in ``table_ids``; stop at the first refusal (the rest would be too)."""
    missing = f"the routes of {len(table_ids)} transit gateway route tables"
    for table_id in table_ids:
        param = {"TransitGatewayRouteTableId": table_id}
        for route_type in calls.TGW_ROUTE_TYPES:
            search = {**param, "Filters": [{"Name": "type", "Values": [route_type]}]}
            answer = call(calls.TGW_ROUTES_CALL, search, missing)
            if answer is None:
                return
            name = calls.transit_table_file_name(calls.TGW_ROUTES_CALL, table_id, route_type)
            save(name, answer.body, calls.TGW_ROUTES_CALL)
        for table_call in (calls.TGW_PROPAGATIONS_CALL, calls.TGW_ASSOCIATIONS_CALL):
            answer = call(table_call, param, missing)
            if answer is None:
                return
            save(calls.transit_table_file_name(table_call, table_id), answer.body, table_call)
