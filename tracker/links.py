"""Links to a fact and to the view as shown, absolute where the reader's address is known."""

from __future__ import annotations

from urllib.parse import quote, urlencode, urlsplit

import streamlit as st

FACT_PAGE = "views/fact.py"


def base_url() -> str:
    """scheme://host[:port] of the address the reader is using; empty when unknown (a relative link)."""
    try:
        parts = urlsplit(st.context.url or "")
    except Exception:
        return ""
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https") and parts.netloc else ""


def fact_link(fact_id: str) -> str:
    return f"{base_url()}/fact?fact={quote(fact_id)}"


def view_link() -> str:
    """The address of the view as shown (tracker.ui.write_url keeps the URL in step with the view)."""
    try:
        path = urlsplit(st.context.url or "").path if base_url() else ""
    except Exception:
        path = ""
    query = urlencode(st.query_params.to_dict())
    return f"{base_url()}{path}" + (f"?{query}" if query else "")
