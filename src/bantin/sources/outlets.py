"""Moved to ``bantin.clean.outlets`` (clean and every reader use the outlet table; clean must not import sources).
Kept so that code importing ``bantin.sources.outlets`` goes on working."""

from bantin.clean.outlets import (  # noqa: F401 - re-exported
    Outlet,
    display_name,
    host_of,
    is_outlet_name,
    name_for,
    outlet_for,
    parse_table,
    table,
)
