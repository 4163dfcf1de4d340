"""Router: page config and navigation. No SQL here.

Page scripts live in views/, not pages/: Streamlit serves a pages/ folder as legacy pages as
well, so a shared link to /timeline would run the page without this router. Each page
draws the shared sidebar itself (ui.sidebar)."""
import streamlit as st

st.set_page_config(page_title="US–China Tech Policy Tracker", page_icon=":material/policy:", layout="wide")

PAGES = [
    st.Page("views/overview.py", title="Overview", icon=":material/home:", url_path="overview", default=True),
    st.Page("views/timeline.py", title="Timeline", icon=":material/timeline:", url_path="timeline"),
    st.Page("views/chip_nodes.py", title="Chip nodes", icon=":material/memory:", url_path="chip_nodes"),
    st.Page("views/funding.py", title="Funding", icon=":material/payments:", url_path="funding"),
    st.Page("views/entities.py", title="Entities", icon=":material/domain:", url_path="entities"),
    st.Page("views/sources.py", title="Sources", icon=":material/menu_book:", url_path="sources"),
]

page = st.navigation(PAGES)
st.session_state["_page_now"] = page.url_path  # tracker.ui carries the filters across a page switch
page.run()
