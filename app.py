"""Router: page config and navigation. No SQL here.

Page scripts live in views/, not pages/: Streamlit serves a pages/ folder as legacy pages as
well, so a shared link to /timeline would run the page without this router. Each page
draws the shared sidebar itself (ui.sidebar).

The page icon is an emoji: Streamlit draws it as an inline SVG, where a `:material/...:` page icon
is fetched from fonts.gstatic.com (the app works offline; the navigation's Material icons come from
the font Streamlit bundles)."""

import re
from urllib.parse import urlsplit

import streamlit as st
from streamlit.runtime.scriptrunner_utils.exceptions import StopException

from tracker import data, url_state

st.set_page_config(page_title="US–China Tech Policy Tracker", page_icon="🛰️", layout="wide")


def _pages() -> list[st.Page]:
    """The pages, made once per session: each st.Page resolves its file on disk, a millisecond of every
    run for seven pages. A session's runs never overlap, so its page objects are never shared."""
    kept = st.session_state.get("_page_objects")
    if kept is None:
        kept = st.session_state["_page_objects"] = [
            # the default page lives at /; /overview reaches it through an alias below
            st.Page("views/overview.py", title="Overview", icon=":material/home:", url_path="start", default=True),
            st.Page("views/timeline.py", title="Timeline", icon=":material/timeline:", url_path="timeline"),
            st.Page("views/chip_nodes.py", title="Chip nodes", icon=":material/memory:", url_path="chip_nodes"),
            st.Page("views/funding.py", title="Funding", icon=":material/payments:", url_path="funding"),
            st.Page("views/entities.py", title="Entities", icon=":material/domain:", url_path="entities"),
            st.Page("views/sources.py", title="Sources", icon=":material/menu_book:", url_path="sources"),
            st.Page("views/fact.py", title="Fact", icon=":material/description:", url_path="fact", visibility="hidden"),
        ]
    return kept


NAMES = ["overview", "timeline", "chip_nodes", "funding", "entities", "sources", "fact"]  # each page's path, in order


def _alias(target: st.Page, path: str) -> st.Page:
    """A hidden page at another spelling of a page's path that forwards there, the link's parameters kept."""

    def forward() -> None:
        st.switch_page(target, query_params=st.query_params.to_dict())

    return st.Page(forward, title=target.title, url_path=path, visibility="hidden")


def _aliases(pages: list[st.Page]) -> list[st.Page]:
    """/overview, /Timeline, /chip-nodes, /ChipNodes ...: the one hidden page the requested path needs,
    if it is another spelling of a page's path (none otherwise: each page listed costs every run)."""
    requested = urlsplit(st.context.url or "").path.strip("/")
    if not re.fullmatch(r"[A-Za-z][A-Za-z_-]{0,40}", requested) or requested in {p.url_path for p in pages}:
        return []
    target = dict(zip((n.replace("_", "") for n in NAMES), pages)).get(
        requested.lower().replace("-", "").replace("_", "")
    )
    return [_alias(target, requested)] if target else []


pages = _pages()
page = st.navigation(pages + _aliases(pages))
st.session_state["_pages"] = {f"views/{name}.py": p for name, p in zip(NAMES, pages)}  # tracker.ui.page_links
st.session_state["_page_now"] = page.url_path  # tracker.ui carries the filters across a page switch
try:
    page.run()
except data.PackageMissing as exc:  # the store failed mid-run and again on a fresh connection (the log says why)
    st.error(str(exc), icon="🛠️")
except StopException:  # a page that ends early (st.stop) still keeps its view in the URL
    url_state.finish()
    raise
url_state.finish()  # every page: the URL always holds the view (a page cannot forget to write it)
