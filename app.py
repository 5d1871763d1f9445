"""Legeplan: the page list and the shared sidebar (kommune), nothing else."""

import streamlit as st

from ui import loaders, state

st.set_page_config(page_title="Legeplan", page_icon=":material/stethoscope:", layout="wide")

# File names differ from url_paths on purpose: Streamlit also auto-discovers pages/, and a page
# whose url_path equals its file stem would be run directly on reruns, skipping this script.
page = st.navigation([
    st.Page("pages/oversikt_view.py", title="Oversikt", icon=":material/dashboard:", default=True,
            url_path="oversikt"),
])

st.sidebar.title("Legeplan")
state.kommune_picker(loaders.kommuner())
st.sidebar.caption(
    "Allmennlegetjenesten i kommunen: status, utvikling og sammenligning. "
    "Tall fra SSB, Helsedirektoratet og kommunenes egne dokumenter."
)

page.run()
