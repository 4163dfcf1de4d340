"""Router: page config and navigation. No SQL here.

Page scripts live in views/, not pages/: Streamlit serves a pages/ folder as legacy pages as
well, so a shared link to /timeline would run the page without this router. Each page
draws the shared sidebar itself (ui.sidebar)."""
import streamlit as st

st.set_page_config(page_title="US–China Tech Policy Tracker", page_icon=":material/policy:", layout="wide")

PAGES = [
    # the default page lives at /; /overview reaches it through an alias below
    st.Page("views/overview.py", title="Overview", icon=":material/home:", url_path="start", default=True),
    st.Page("views/timeline.py", title="Timeline", icon=":material/timeline:", url_path="timeline"),
    st.Page("views/chip_nodes.py", title="Chip nodes", icon=":material/memory:", url_path="chip_nodes"),
    st.Page("views/funding.py", title="Funding", icon=":material/payments:", url_path="funding"),
    st.Page("views/entities.py", title="Entities", icon=":material/domain:", url_path="entities"),
    st.Page("views/sources.py", title="Sources", icon=":material/menu_book:", url_path="sources"),
    st.Page("views/fact.py", title="Fact", icon=":material/description:", url_path="fact", visibility="hidden"),
]
NAMES = ["overview", "timeline", "chip_nodes", "funding", "entities", "sources", "fact"]  # each page's path, in order


def _alias(target: st.Page, path: str) -> st.Page:
    """A hidden page at another spelling of a page's path that forwards there, the link's parameters kept."""
    def forward() -> None:
        st.switch_page(target, query_params=st.query_params.to_dict())
    return st.Page(forward, title=target.title, url_path=path, visibility="hidden")


def _spellings(name: str) -> set[str]:
    """/overview for the default page; /Timeline, /TIMELINE, /chip-nodes, /ChipNodes ... for all."""
    return {name, name.capitalize(), name.upper(), name.replace("_", "-"), name.replace("_", ""),
            name.title().replace("_", ""), name.replace("_", "-").capitalize()}


ALIASES = [_alias(page, path) for page, name in zip(PAGES, NAMES) for path in sorted(_spellings(name))
           if path != page.url_path]
page = st.navigation(PAGES + ALIASES)
st.session_state["_page_now"] = page.url_path  # tracker.ui carries the filters across a page switch
page.run()
