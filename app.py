"""Router: page config and navigation. Each page draws the shared sidebar itself (ui.sidebar),
so that it also works when a page script is run on its own, as AppTest does. No SQL here."""
import streamlit as st

st.set_page_config(page_title="US–China Tech Policy Tracker", page_icon=":material/policy:", layout="wide")

PAGES = [
    st.Page("pages/overview.py", title="Overview", icon=":material/home:", url_path="overview", default=True),
    st.Page("pages/timeline.py", title="Timeline", icon=":material/timeline:", url_path="timeline"),
    st.Page("pages/chip_nodes.py", title="Chip nodes", icon=":material/memory:", url_path="chip_nodes"),
    st.Page("pages/funding.py", title="Funding", icon=":material/payments:", url_path="funding"),
    st.Page("pages/entities.py", title="Entities", icon=":material/domain:", url_path="entities"),
    st.Page("pages/sources.py", title="Sources", icon=":material/menu_book:", url_path="sources"),
]

page = st.navigation(PAGES)
page.run()
