"""lillegeo: IRIS-level data-driven governance analysis (library; never imports Streamlit).

Examples
--------
>>> import lillegeo
>>> ds = lillegeo.load_demo()
>>> ind = lillegeo.compute_indicator(ds.units, "P21_POP_IMM", per="P21_POP")
>>> ind.unit
'per 1,000'
"""

from .dataset import Dataset, build_dataset, load_demo
from .indicators import DEFAULT_THRESHOLD, Indicator, aggregate_points, compute_indicator, numeric_columns, suppress
from .indicators import count_columns, suppress_frame
from .join import JoinReport, join_table
from .maps import choropleth_map, classify, esc, install_static_assets, to_offline_html
from .io import LoadReport, SchemaError, detect_key, read_points, read_table, read_units

from .versions import __version__

__all__ = [
    "Dataset", "build_dataset", "load_demo", "DEFAULT_THRESHOLD", "Indicator", "aggregate_points",
    "compute_indicator", "numeric_columns", "suppress", "count_columns", "suppress_frame", "JoinReport", "join_table", "choropleth_map", "classify",
    "esc", "install_static_assets", "to_offline_html", "LoadReport", "SchemaError", "detect_key", "read_points",
    "read_table", "read_units", "__version__",
]
