"""Baseline for bench.app_speed: the smallest useful Streamlit page (one slider, one Altair chart).

    streamlit run bench/baseline_app.py

Timing Legeplan against this page in the same run separates the app's own cost from the machine's
speed and Streamlit's fixed overhead per rerun.
"""

import altair as alt
import numpy as np
import pandas as pd
import streamlit as st

SLIDER_MIN, SLIDER_MAX = 1, 10

st.title("Baseline")
factor = st.slider("Faktor", SLIDER_MIN, SLIDER_MAX, 5, key="faktor")
x = np.arange(20)
data = pd.DataFrame({"x": x, "y": np.sin(x / 3) * factor + x})
st.altair_chart(
    alt.Chart(data).mark_line().encode(x="x:Q", y="y:Q"),
    width="stretch",
)
