"""The app's Streamlit layer, the only code that imports Streamlit.

- :mod:`.cache`: the demo, static assets and the thin cache over :mod:`lillegeo.pipeline`;
- :mod:`.state`: the session's dataset and its current recipe (every choice on every page);
- :mod:`.text`: language, translation and safe messages;
- :mod:`.widgets`: widgets bound to the recipe, maps, downloads;
- :mod:`.uploads`: uploaded files read in the bounded worker, once per change.
"""
