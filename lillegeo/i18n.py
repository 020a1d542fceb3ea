"""French and English strings: every label the app, maps and exports show goes through :func:`t`."""

from __future__ import annotations

__all__ = ["t", "LANGS", "STRINGS"]

LANGS = {"en": "English", "fr": "Français"}

STRINGS: dict[str, dict[str, str]] = {
    # app
    "app.title": {"en": "lillegeo: IRIS-level analysis for city governance",
                  "fr": "lillegeo : analyse à l'IRIS pour la gouvernance locale"},
    "app.language": {"en": "Language", "fr": "Langue"},
    "app.data_status": {"en": "Data loaded", "fr": "Données chargées"},
    "app.units": {"en": "{n} units in {c} commune(s)", "fr": "{n} unités dans {c} commune(s)"},
    "app.no_data": {"en": "No data loaded yet: the demo is used.", "fr": "Aucune donnée chargée : la démo est utilisée."},
    "nav.data": {"en": "1 · Data", "fr": "1 · Données"},
    "nav.explore": {"en": "2 · Explore", "fr": "2 · Explorer"},
    "demo.badge": {"en": "Synthetic demo data", "fr": "Données de démonstration synthétiques"},
    "demo.name": {"en": "Demo metropolis (synthetic)", "fr": "Métropole de démonstration (synthétique)"},
    # data page
    "data.title": {"en": "Data", "fr": "Données"},
    "data.question": {"en": "Which units, indicators and records are we analysing, and did they join?",
                      "fr": "Quelles unités, quels indicateurs et quels enregistrements analysons-nous, et se sont-ils joints ?"},
    "data.source": {"en": "Source", "fr": "Source"},
    "data.use_demo": {"en": "Built-in demo metropolis", "fr": "Métropole de démonstration intégrée"},
    "data.use_upload": {"en": "My own files", "fr": "Mes propres fichiers"},
    "data.contours": {"en": "IRIS contours (GeoPackage, GeoJSON, zipped shapefile, GeoParquet)",
                      "fr": "Contours IRIS (GeoPackage, GeoJSON, shapefile zippé, GeoParquet)"},
    "data.table": {"en": "Indicator table (CSV, XLSX, zip) - optional",
                   "fr": "Table d'indicateurs (CSV, XLSX, zip) - facultatif"},
    "data.points": {"en": "Point records, e.g. incidents (CSV, GeoJSON, GeoPackage) - optional",
                    "fr": "Enregistrements ponctuels, ex. incidents (CSV, GeoJSON, GeoPackage) - facultatif"},
    "data.crs": {"en": "CRS of the file (when it has none)", "fr": "Système de coordonnées du fichier (s'il n'en a pas)"},
    "data.crs_auto": {"en": "As declared in the file", "fr": "Celui déclaré dans le fichier"},
    "data.planar": {"en": "Planar coordinates: do not reproject", "fr": "Coordonnées planes : ne pas reprojeter"},
    "data.map_columns": {"en": "Map columns", "fr": "Correspondance des colonnes"},
    "data.map_columns_help": {"en": "The columns match no known IRIS schema: say which column holds what.",
                              "fr": "Les colonnes ne correspondent à aucun schéma IRIS connu : indiquez le rôle de chaque colonne."},
    "data.col.unit_id": {"en": "Unit code", "fr": "Code de l'unité"},
    "data.col.unit_name": {"en": "Unit name", "fr": "Nom de l'unité"},
    "data.col.commune_id": {"en": "Commune code", "fr": "Code commune"},
    "data.col.commune_name": {"en": "Commune name", "fr": "Nom de la commune"},
    "data.col.unit_type": {"en": "IRIS type (H/A/D/Z)", "fr": "Type d'IRIS (H/A/D/Z)"},
    "data.none": {"en": "(none)", "fr": "(aucune)"},
    "data.key": {"en": "Code column of the table", "fr": "Colonne des codes de la table"},
    "data.x": {"en": "X / longitude column", "fr": "Colonne X / longitude"},
    "data.y": {"en": "Y / latitude column", "fr": "Colonne Y / latitude"},
    "data.points_crs": {"en": "CRS of the point coordinates", "fr": "Système de coordonnées des points"},
    "data.load": {"en": "Load these files", "fr": "Charger ces fichiers"},
    "data.loaded": {"en": "Loaded: {name}", "fr": "Chargé : {name}"},
    "data.need_contours": {"en": "Upload a contour file first.", "fr": "Chargez d'abord un fichier de contours."},
    "data.reports": {"en": "What the readers did", "fr": "Ce qu'ont fait les lecteurs"},
    "data.join_report": {"en": "Join report", "fr": "Rapport de jointure"},
    "data.matched": {"en": "Units matched", "fr": "Unités appariées"},
    "data.without": {"en": "Units without data", "fr": "Unités sans données"},
    "data.unmatched": {"en": "Table rows with no unit", "fr": "Lignes de la table sans unité"},
    "data.download_unmatched": {"en": "Download the unmatched codes (CSV)", "fr": "Télécharger les codes non appariés (CSV)"},
    "data.download_without": {"en": "Download the units without data (CSV)", "fr": "Télécharger les unités sans données (CSV)"},
    "data.points_report": {"en": "{inside} of {n} points fall in a unit; {outside} outside every unit",
                           "fr": "{inside} points sur {n} tombent dans une unité ; {outside} hors de toute unité"},
    "data.preview": {"en": "Units (first rows)", "fr": "Unités (premières lignes)"},
    "data.kept_previous": {"en": "Nothing was changed: the data loaded before is still in use.",
                           "fr": "Rien n'a été modifié : les données chargées auparavant restent utilisées."},
    "data.withheld_cells": {"en": "{n} count cell(s) under {threshold} are withheld (blank) in this table.",
                            "fr": "{n} cellule(s) d'effectif inférieures à {threshold} sont masquées (vides) dans cette table."},
    "data.next": {"en": "Next: explore the indicators on a map (page 2).", "fr": "Ensuite : explorer les indicateurs sur une carte (page 2)."},
    # explore page
    "explore.title": {"en": "Explore", "fr": "Explorer"},
    "explore.question": {"en": "How does an indicator vary across the units of the city?",
                         "fr": "Comment un indicateur varie-t-il entre les unités de la ville ?"},
    "explore.column": {"en": "Indicator (count or value)", "fr": "Indicateur (effectif ou valeur)"},
    "explore.per": {"en": "Per (denominator)", "fr": "Pour (dénominateur)"},
    "explore.raw": {"en": "(raw values)", "fr": "(valeurs brutes)"},
    "explore.smoothing": {"en": "Smoothing", "fr": "Lissage"},
    "explore.scheme": {"en": "Classification", "fr": "Classification"},
    "explore.k": {"en": "Classes", "fr": "Classes"},
    "explore.breaks": {"en": "Class upper bounds, comma-separated", "fr": "Bornes supérieures des classes, séparées par des virgules"},
    "explore.palette": {"en": "Palette (colour-blind safe)", "fr": "Palette (adaptée au daltonisme)"},
    "explore.communes": {"en": "Communes", "fr": "Communes"},
    "explore.overlay": {"en": "Show priority neighbourhoods (QPV)", "fr": "Afficher les quartiers prioritaires (QPV)"},
    "explore.threshold": {"en": "Withhold counts below", "fr": "Masquer les effectifs inférieurs à"},
    "explore.basemap": {"en": "Online basemap (needs internet)", "fr": "Fond de carte en ligne (nécessite internet)"},
    "explore.record": {"en": "Selected unit: full record", "fr": "Unité sélectionnée : fiche complète"},
    "explore.click": {"en": "Click a unit on the map to see its full record here.",
                      "fr": "Cliquez sur une unité de la carte pour afficher sa fiche ici."},
    "explore.table": {"en": "Indicator table (withheld cells blank)", "fr": "Table de l'indicateur (cellules masquées vides)"},
    "explore.download": {"en": "Download the indicator (CSV)", "fr": "Télécharger l'indicateur (CSV)"},
    "explore.download_map": {"en": "Download the map (offline HTML)", "fr": "Télécharger la carte (HTML hors ligne)"},
    "explore.no_numeric": {"en": "The loaded data has no numeric column to map.",
                           "fr": "Les données chargées n'ont aucune colonne numérique à cartographier."},
    "explore.summary": {"en": "{shown} units shown, {withheld} withheld (count under {threshold}), {nodata} without data.",
                        "fr": "{shown} unités affichées, {withheld} masquées (effectif inférieur à {threshold}), {nodata} sans données."},
    "smoothing.none": {"en": "None", "fr": "Aucun"},
    "smoothing.global_eb": {"en": "Empirical Bayes (global)", "fr": "Bayes empirique (global)"},
    "smoothing.spatial_eb": {"en": "Empirical Bayes (spatial)", "fr": "Bayes empirique (spatial)"},
    "scheme.quantiles": {"en": "Quantiles", "fr": "Quantiles"},
    "scheme.fisher_jenks": {"en": "Fisher-Jenks", "fr": "Fisher-Jenks"},
    "scheme.equal_interval": {"en": "Equal interval", "fr": "Intervalles égaux"},
    "scheme.natural_breaks": {"en": "Natural breaks", "fr": "Seuils naturels"},
    "scheme.user": {"en": "My own breaks", "fr": "Mes propres seuils"},
    # map
    "map.name": {"en": "Name", "fr": "Nom"},
    "map.code": {"en": "Code", "fr": "Code"},
    "map.commune": {"en": "Commune", "fr": "Commune"},
    "map.denominator": {"en": "Denominator ({column})", "fr": "Dénominateur ({column})"},
    "map.withheld_value": {"en": "withheld (fewer than {threshold})", "fr": "masqué (moins de {threshold})"},
    "map.nodata_value": {"en": "no data", "fr": "pas de données"},
    "map.overlay": {"en": "Priority neighbourhoods (QPV)", "fr": "Quartiers prioritaires (QPV)"},
    "map.communes": {"en": "Commune borders", "fr": "Limites communales"},
    "map.basemap": {"en": "Basemap", "fr": "Fond de carte"},
    "map.tiles_attr": {"en": "© OpenStreetMap contributors", "fr": "© contributeurs OpenStreetMap"},
    "legend.withheld": {"en": "Withheld (fewer than {threshold})", "fr": "Masqué (moins de {threshold})"},
    "legend.excluded": {"en": "Left out: activity/misc. unit (few residents)",
                        "fr": "Écarté : IRIS d'activité/divers (peu d'habitants)"},
    "map.excluded_value": {"en": "left out (activity/misc. unit)", "fr": "écarté (IRIS d'activité/divers)"},
    "explore.exclude_ad": {"en": "Leave out activity and miscellaneous (A/D) units from rates",
                           "fr": "Écarter les IRIS d'activité et divers (A/D) des taux"},
    "explore.summary_excluded": {"en": "{n} A/D unit(s) left out.", "fr": "{n} IRIS A/D écarté(s)."},
    "legend.nodata": {"en": "No data", "fr": "Pas de données"},
    "legend.count_note": {"en": "Right: number of units", "fr": "À droite : nombre d'unités"},
    "legend.scheme": {"en": "Classes", "fr": "Classes"},
}


def t(key: str, lang: str = "en", **kwargs) -> str:
    """The string ``key`` in ``lang`` (English when missing), formatted with ``kwargs``.

    Examples
    --------
    >>> t("legend.withheld", "fr", threshold=11)
    'Masqué (moins de 11)'
    """
    entry = STRINGS.get(key)
    if entry is None:
        raise KeyError(f"no string '{key}' in lillegeo.i18n.STRINGS")
    text = entry.get(lang) or entry["en"]
    return text.format(**kwargs) if kwargs else text
