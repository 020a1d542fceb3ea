"""The baseline for rerun timings: a Streamlit page with one radio and nothing to compute."""

import streamlit as st

choice = st.radio("Smoothing", ["None", "Empirical Bayes (global)", "Empirical Bayes (spatial)"], horizontal=True)
st.write(f"choice: {choice}")
