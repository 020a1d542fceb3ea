"""French and English strings: every label the app, maps and exports show goes through :func:`t`."""

from __future__ import annotations

__all__ = ["t", "LANGS", "STRINGS", "label_text", "column_labels", "COLUMN_LABELS_FR"]

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
    # --- strings added for: numbers (add this area's new strings right below this line)
    "label:Withheld": {"en": "Withheld", "fr": "Masqué"},
    "label:Left out (A/D)": {"en": "Left out (A/D)", "fr": "Écarté (IRIS A/D)"},
    "explore.partition": {"en": "{shown} units shown, {withheld} withheld (count under {threshold}), {left_out} A/D "
                                "left out, {no_data} without data: {total} units in all.",
                          "fr": "{shown} unités affichées, {withheld} masquées (effectif inférieur à {threshold}), "
                                "{left_out} IRIS A/D écartés, {no_data} sans données : {total} unités en tout."},
    "hot.partition": {"en": "{total} units: {significant} significant at alpha {alpha}, {not_significant} not "
                            "significant, {withheld} withheld (count under {threshold}), {left_out} A/D left out, "
                            "{no_data} without data, {islands} without neighbours.",
                      "fr": "{total} unités : {significant} significatives au seuil alpha {alpha}, {not_significant} "
                            "non significatives, {withheld} masquées (effectif inférieur à {threshold}), "
                            "{left_out} IRIS A/D écartés, {no_data} sans données, {islands} sans voisin."},
    "hot.impossible": {"en": "No unit can be significant with these settings: with {perm} permutations the smallest "
                             "possible p-value is {min_p}, above the corrected threshold {threshold} ({correction}). "
                             "Use more permutations (e.g. 9999), the false discovery rate, or no correction.",
                       "fr": "Aucune unité ne peut être significative avec ces réglages : avec {perm} permutations, "
                             "la plus petite p-valeur possible est {min_p}, au-dessus du seuil corrigé {threshold} "
                             "({correction}). Augmentez les permutations (par ex. 9999), prenez le taux de fausses "
                             "découvertes ou aucune correction."},
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
    "data.crs": {"en": "CRS of the contours (when they have none)",
                 "fr": "Système de coordonnées des contours (s'ils n'en ont pas)"},
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
    "data.points_crs": {"en": "CRS of the point coordinates (x/y columns)",
                        "fr": "Système de coordonnées des points (colonnes x/y)"},
    "data.load": {"en": "Load these files", "fr": "Charger ces fichiers"},
    "data.loaded": {"en": "Loaded: {name}", "fr": "Chargé : {name}"},
    "data.reading": {"en": "Reading {name}…", "fr": "Lecture de {name}…"},
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
    # --- strings added for: evaluation-tables (add this area's new strings right below this line)
    "col.excludes_1": {"en": "interval excludes 1", "fr": "l'intervalle exclut 1"},
    "col.crime_elasticity": {"en": "crime elasticity", "fr": "élasticité à la délinquance"},
    "col.moran_i": {"en": "residual Moran's I", "fr": "I de Moran des résidus"},
    # table headers and cells (lillegeo.tables.readable); exports keep the machine names
    "col.unit_id": {"en": 'unit code', "fr": 'code'},
    "col.unit_name": {"en": 'unit name', "fr": 'nom'},
    "col.value": {"en": 'value', "fr": 'valeur'},
    "col.statistic": {"en": 'statistic', "fr": 'statistique'},
    "col.z": {"en": 'z-score', "fr": 'score z'},
    "col.p": {"en": 'p', "fr": 'p'},
    "col.label": {"en": 'class', "fr": 'classe'},
    "col.withheld": {"en": 'withheld', "fr": 'masqué'},
    "col.group": {"en": 'group', "fr": 'groupe'},
    "col.people": {"en": 'people', "fr": 'personnes'},
    "col.units": {"en": 'units', "fr": 'unités'},
    "col.exposure": {"en": 'exposure (checks per 1,000 residents)', "fr": 'exposition (contrôles pour 1 000 habitants)'},
    "col.ratio": {"en": 'ratio', "fr": 'rapport'},
    "col.ci_low": {"en": '95 % CI low', "fr": 'IC 95 % bas'},
    "col.ci_high": {"en": '95 % CI high', "fr": 'IC 95 % haut'},
    "col.flag": {"en": 'flagged', "fr": 'signalé'},
    "col.variant": {"en": 'variant', "fr": 'variante'},
    "col.rate_ratio": {"en": 'rate ratio', "fr": 'rapport de taux'},
    "col.p_value": {"en": 'p', "fr": 'p'},
    "col.n_units": {"en": 'units used (n)', "fr": 'unités utilisées (n)'},
    "col.method": {"en": 'method', "fr": 'méthode'},
    "col.hotspot_units": {"en": 'hotspot units', "fr": 'unités en point chaud'},
    "col.cluster": {"en": 'cluster', "fr": 'agrégat'},
    "col.incidents": {"en": 'incidents', "fr": 'incidents'},
    "col.area_m2": {"en": 'area (m²)', "fr": 'surface (m²)'},
    "col.density_per_km2": {"en": 'density (per km²)', "fr": 'densité (par km²)'},
    "col.dominant_categories": {"en": 'dominant categories', "fr": 'catégories dominantes'},
    "col.first": {"en": 'first month', "fr": 'premier mois'},
    "col.last": {"en": 'last month', "fr": 'dernier mois'},
    "col.hot_units": {"en": 'hot units', "fr": 'unités chaudes'},
    "col.jaccard": {"en": 'Jaccard overlap', "fr": 'recouvrement de Jaccard'},
    "col.note": {"en": 'note', "fr": 'note'},
    "col.clusters": {"en": 'clusters', "fr": 'agrégats'},
    "col.clustered_share": {"en": 'share in a cluster', "fr": 'part dans un agrégat'},
    "col.type": {"en": 'type', "fr": 'type'},
    "col.population": {"en": 'population', "fr": 'population'},
    "col.area_share": {"en": 'share of the area', "fr": 'part de la surface'},
    "col.n1": {"en": 'hits, period 1 (n₁)', "fr": 'incidents captés, période 1 (n₁)'},
    "col.N1": {"en": 'incidents, period 1 (N₁)', "fr": 'incidents, période 1 (N₁)'},
    "col.hit_rate_1": {"en": 'hit rate, period 1', "fr": 'taux de capture, période 1'},
    "col.pai_1": {"en": 'PAI, period 1', "fr": 'PAI, période 1'},
    "col.n2": {"en": 'hits, period 2 (n₂)', "fr": 'incidents captés, période 2 (n₂)'},
    "col.N2": {"en": 'incidents, period 2 (N₂)', "fr": 'incidents, période 2 (N₂)'},
    "col.hit_rate_2": {"en": 'hit rate, period 2', "fr": 'taux de capture, période 2'},
    "col.pai_2": {"en": 'PAI, period 2', "fr": 'PAI, période 2'},
    "col.rri": {"en": 'RRI', "fr": 'RRI'},
    "col.coef": {"en": 'coefficient', "fr": 'coefficient'},
    "col.term": {"en": 'term', "fr": 'terme'},
    "col.const": {"en": 'intercept', "fr": 'constante'},
    "col.log_crime_rate": {"en": 'log recorded crime per 1,000', "fr": 'log délinquance enregistrée pour 1 000'},
    "col.share_10pp": {"en": 'group share (per 10 points)', "fr": 'part du groupe (par 10 points)'},
    "col.stops": {"en": 'checks', "fr": 'contrôles'},
    "col.hits": {"en": 'hits', "fr": 'résultats positifs'},
    "col.hit_rate": {"en": 'hit rate', "fr": 'taux de résultats positifs'},
    "col.ratio_to_reference": {"en": 'ratio to the reference', "fr": 'rapport à la référence'},
    "col.yes": {"en": 'yes', "fr": 'oui'},
    "col.no": {"en": 'no', "fr": 'non'},
    "hot.eval_share": {"en": "Heat: densest share of the area", "fr": "Chaleur : part la plus dense de la surface"},
    "hot.eval_heat": {"en": "Heat surface (kde)", "fr": "Surface de chaleur (kde)"},
    "eq.model_n": {"en": "{n} units used by the model.", "fr": "{n} unités utilisées par le modèle."},
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
    "explore.breaks": {"en": "Class upper bounds, comma-separated (e.g. 72.5, 100, 150)",
                       "fr": "Bornes supérieures des classes, séparées par « ; » (ex. 72,5 ; 100 ; 150)"},
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
    # --- strings added for: withheld (add this area's new strings right below this line)
    # hotspots page
    "nav.hotspots": {"en": "3 · Hotspots", "fr": "3 · Points chauds"},
    "hot.title": {"en": "Hotspots", "fr": "Points chauds"},
    "hot.question": {"en": "Where do incidents concentrate, is that concentration real or noise, and would focusing there have caught the next year's incidents?",
                     "fr": "Où les incidents se concentrent-ils, cette concentration est-elle réelle ou du bruit, et cibler ces lieux aurait-il capté les incidents de l'année suivante ?"},
    "hot.tab.area": {"en": "Area hot & cold spots", "fr": "Points chauds et froids par zone"},
    "hot.tab.points": {"en": "Incident clusters & heat", "fr": "Agrégats d'incidents et chaleur"},
    "hot.tab.types": {"en": "Typologies", "fr": "Typologies"},
    "hot.tab.eval": {"en": "Evaluation", "fr": "Évaluation"},
    "hot.method": {"en": "Method", "fr": "Méthode"},
    "hot.method.gi_star": {"en": "Getis-Ord Gi*", "fr": "Getis-Ord Gi*"},
    "hot.method.local_moran": {"en": "Local Moran (LISA)", "fr": "Moran local (LISA)"},
    "hot.weights": {"en": "Neighbours (spatial weights)", "fr": "Voisinage (pondérations spatiales)"},
    "hot.permutations": {"en": "Permutations", "fr": "Permutations"},
    "hot.alpha": {"en": "Significance level (alpha)", "fr": "Seuil de significativité (alpha)"},
    "hot.correction": {"en": "Multiple-testing correction", "fr": "Correction des tests multiples"},
    "hot.correction.none": {"en": "None", "fr": "Aucune"},
    "hot.correction.fdr": {"en": "False discovery rate", "fr": "Taux de fausses découvertes (FDR)"},
    "hot.correction.bonferroni": {"en": "Bonferroni", "fr": "Bonferroni"},
    "hot.seed": {"en": "Random seed", "fr": "Graine aléatoire"},
    "hot.moran": {"en": "Global Moran's I", "fr": "I de Moran global"},
    "hot.moran_p": {"en": "Pseudo p-value", "fr": "Pseudo p-valeur"},
    "hot.islands": {"en": "Units without neighbours (left out): {ids}", "fr": "Unités sans voisin (écartées) : {ids}"},
    "hot.no_numeric": {"en": "This data has no numeric column to analyse: load a table with counts or values.",
                       "fr": "Ces données n'ont aucune colonne numérique à analyser : chargez une table de comptages ou de valeurs."},
    "error.unexpected": {"en": "This step could not be completed with these data or settings; the details are in the "
                               "server log. Try other settings or other files.",
                         "fr": "Cette étape n'a pas pu aboutir avec ces données ou ces réglages ; le détail est dans le "
                               "journal du serveur. Essayez d'autres réglages ou d'autres fichiers."},
    "hot.legend": {"en": "Hot and cold spots", "fr": "Points chauds et froids"},
    "hot.significant": {"en": "Significant units", "fr": "Unités significatives"},
    "hot.download": {"en": "Download the results (CSV)", "fr": "Télécharger les résultats (CSV)"},
    "hot.sensitivity": {"en": "Sensitivity: would neighbouring parameters draw the same hot spots?",
                        "fr": "Sensibilité : des paramètres voisins dessineraient-ils les mêmes points chauds ?"},
    "hot.sensitivity_run": {"en": "Run the sensitivity table", "fr": "Calculer la table de sensibilité"},
    "hot.sensitivity_note": {"en": "Jaccard = units hot in both / units hot in either (1 = same hot spots).",
                             "fr": "Jaccard = unités chaudes dans les deux / unités chaudes dans l'un ou l'autre (1 = mêmes points chauds)."},
    "hot.csens_note": {"en": "Jaccard = incidents clustered in both / incidents clustered in either.",
                       "fr": "Jaccard = incidents agrégés dans les deux / incidents agrégés dans l'un ou l'autre."},
    "hot.layer": {"en": "Point layer", "fr": "Couche de points"},
    "hot.categories": {"en": "Categories (all when empty)", "fr": "Catégories (toutes si vide)"},
    "hot.years": {"en": "Years (all when empty)", "fr": "Années (toutes si vide)"},
    "hot.algorithm": {"en": "Clustering algorithm", "fr": "Algorithme d'agrégation"},
    "hot.eps": {"en": "Search radius (metres)", "fr": "Rayon de recherche (mètres)"},
    "hot.min_samples": {"en": "Minimum incidents per cluster", "fr": "Nombre minimal d'incidents par agrégat"},
    "hot.optics_slow": {"en": "OPTICS takes about 10 s for 36,000 incidents.", "fr": "OPTICS prend environ 10 s pour 36 000 incidents."},
    "count.fewer": {"en": "fewer than {threshold}", "fr": "moins de {threshold}"},
    "hot.clusters_summary": {"en": "{k} clusters; {noise} of {n} incidents are noise (in no cluster).",
                             "fr": "{k} agrégats ; {noise} incidents sur {n} sont du bruit (hors agrégat)."},
    "hot.clusters_withheld": {"en": "{n} clusters under {threshold} incidents withheld (their incidents count as noise).",
                              "fr": "{n} agrégats de moins de {threshold} incidents masqués (leurs incidents comptent comme bruit)."},
    "hot.heat": {"en": "Show the heat surface (kernel density)", "fr": "Afficher la surface de chaleur (densité de noyau)"},
    "hot.bandwidth": {"en": "Bandwidth (metres)", "fr": "Largeur de bande (mètres)"},
    "hot.cell": {"en": "Cell size (metres)", "fr": "Taille de cellule (mètres)"},
    "hot.no_points": {"en": "No point layer is loaded: add incidents on the Data page.",
                      "fr": "Aucune couche de points chargée : ajoutez des incidents sur la page Données."},
    "hot.types_columns": {"en": "Indicators (standardised)", "fr": "Indicateurs (centrés réduits)"},
    "hot.types_k": {"en": "Number of types", "fr": "Nombre de types"},
    "hot.types_method": {"en": "Method", "fr": "Méthode"},
    "hot.types.kmeans": {"en": "k-means", "fr": "k-moyennes"},
    "hot.types.constrained": {"en": "Contiguous regions (Ward, contiguity)", "fr": "Régions contiguës (Ward, contiguïté)"},
    "hot.types_legend": {"en": "Type", "fr": "Type"},
    "hot.types_pick": {"en": "Pick at least two indicators.", "fr": "Choisissez au moins deux indicateurs."},
    "hot.period1": {"en": "Period 1 (choose hotspots)", "fr": "Période 1 (choix des points chauds)"},
    "hot.period2": {"en": "Period 2 (score them)", "fr": "Période 2 (évaluation)"},
    "hot.eval_run": {"en": "Compare the methods", "fr": "Comparer les méthodes"},
    "hot.eval_need_years": {"en": "Evaluation needs dated incidents over at least two years.",
                            "fr": "L'évaluation nécessite des incidents datés sur au moins deux années."},
    "hot.formulas": {"en": "Formulas", "fr": "Formules"},
    # --- strings added for: french (add this area's new strings right below this line)
    "ioerr.wrapped": {"en": "could not read '{name}': {inner}", "fr": 'Lecture de « {name} » impossible : {inner}'},
    "ioerr.not_found": {"en": "file not found: '{name}'; check the path", "fr": 'fichier introuvable : « {name} » ; vérifiez le chemin'},
    "ioerr.too_big": {"en": 'the file is {mb} MB, over the {limit} MB limit', "fr": 'le fichier fait {mb} Mo, au-delà de la limite de {limit} Mo'},
    "ioerr.empty_file": {"en": 'the file is empty (0 bytes)', "fr": 'le fichier est vide (0 octet)'},
    "ioerr.empty": {"en": "'{name}' is empty", "fr": '« {name} » est vide'},
    "ioerr.no_rows": {"en": "'{name}' has column names but no rows", "fr": '« {name} » a des noms de colonnes mais aucune ligne'},
    "ioerr.csv": {"en": "could not parse '{name}' as CSV with separator '{sep}': {detail}", "fr": "« {name} » n'a pas pu être lu comme CSV avec le séparateur « {sep} » : {detail}"},
    "ioerr.single_column": {"en": "'{name}' has a single column with separator '{sep}'; expected ';' or ',' separated values", "fr": "« {name} » n'a qu'une colonne avec le séparateur « {sep} » ; des valeurs séparées par « ; » ou « , » sont attendues"},
    "ioerr.duplicate_columns": {"en": 'column name(s) appear twice: {cols}; rename them', "fr": 'nom(s) de colonne en double : {cols} ; renommez-les'},
    "ioerr.key_missing": {"en": "key column '{name}' not found; columns are: {cols}", "fr": 'colonne de codes « {name} » introuvable ; les colonnes sont : {cols}'},
    "ioerr.column_missing": {"en": "{what} column '{name}' not found; columns are: {cols}", "fr": 'colonne ({what}) « {name} » introuvable ; les colonnes sont : {cols}'},
    "ioerr.no_coords": {"en": "no coordinate columns found in '{name}'; columns are: {cols}. Name them.", "fr": 'aucune colonne de coordonnées trouvée dans « {name} » ; les colonnes sont : {cols}. Indiquez-les (colonnes X et Y).'},
    "ioerr.no_features": {"en": "'{name}' holds no features", "fr": '« {name} » ne contient aucune entité'},
    "ioerr.no_points": {"en": "'{name}' holds no points", "fr": '« {name} » ne contient aucun point'},
    "ioerr.no_usable_points": {"en": "'{name}' holds no points with usable coordinates ({missing} missing, {impossible} impossible)", "fr": '« {name} » ne contient aucun point aux coordonnées utilisables ({missing} manquantes, {impossible} impossibles) ; vérifiez les colonnes de coordonnées et leur système'},
    "ioerr.no_geometry": {"en": "'{name}' has no geometry column; contours must be polygons", "fr": "« {name} » n'a pas de colonne de géométrie ; les contours doivent être des polygones"},
    "ioerr.not_polygons": {"en": "'{name}' holds {kinds} geometries; units must be polygons", "fr": '« {name} » contient des géométries {kinds} ; les unités doivent être des polygones'},
    "ioerr.not_points": {"en": "'{name}' holds {kinds} geometries; points are expected", "fr": '« {name} » contient des géométries {kinds} ; des points sont attendus'},
    "ioerr.shp_missing": {"en": "shapefile '{name}' is missing its {missing} file", "fr": 'il manque au shapefile « {name} » son fichier {missing} ; zippez ensemble les .shp, .shx, .dbf et .prj'},
    "ioerr.zip_in_zip": {"en": "'{name}' holds another zip inside", "fr": '« {name} » contient un autre zip ; dézippez-le et chargez le fichier intérieur'},
    "ioerr.zip_no_vector": {"en": "'{name}' holds no .shp, .gpkg, .geojson or .parquet file; it holds: {files}", "fr": '« {name} » ne contient aucun fichier .shp, .gpkg, .geojson ou .parquet ; il contient : {files}'},
    "ioerr.bad_zip": {"en": "'{name}' is not a valid zip archive ({detail})", "fr": "« {name} » n'est pas une archive zip valide ({detail})"},
    "ioerr.zip_slip": {"en": "zip entry '{name}' points outside the archive; refused", "fr": "l'entrée « {name} » du zip pointe hors de l'archive ; refusée"},
    "ioerr.zip_bomb": {"en": "zip entry '{name}' expands {ratio}-fold; refused as a possible zip bomb", "fr": "l'entrée « {name} » du zip se décompresse {ratio} fois ; refusée (bombe zip possible)"},
    "ioerr.zip_total": {"en": "'{name}' would expand to {mb} MB in {n} entries; refused as a possible zip bomb", "fr": '« {name} » se décompresserait en {mb} Mo dans {n} entrées ; refusé (bombe zip possible)'},
    "ioerr.not_vector": {"en": '{name} is not a contour or points format lillegeo reads (it looks like {what})', "fr": "{name} n'est pas un format de contours ou de points que lillegeo lit (cela ressemble à : {what}) ; donnez un GeoJSON (.geojson), un GeoPackage (.gpkg), un shapefile zippé (.zip) ou un GeoParquet (.parquet)"},
    "ioerr.quoted": {"en": "'{name}'", "fr": "« {name} »"},
    "ioerr.not_expected": {"en": "{name} is not {expected} (it looks like {what}); refused",
                           "fr": "{name} n'est pas {expected} (cela ressemble à {what}) ; refusé"},
    "ioerr.too_complex": {"en": "could not read '{name}': one of its objects is too large or too complex to read",
                          "fr": "« {name} » n'a pas pu être lu : un de ses objets est trop grand ou trop complexe "
                                "(au-delà de la limite du lecteur GeoJSON) ; simplifiez la géométrie ou découpez-la"},
    "ioerr.the_file": {"en": 'the file', "fr": 'le fichier'},
    "ioerr.vector": {"en": "could not read '{name}' as a vector file: {detail}", "fr": "« {name} » n'a pas pu être lu comme fichier vectoriel : {detail}"},
    "ioerr.no_crs": {"en": "'{name}' has no coordinate reference system", "fr": "« {name} » n'a pas de système de coordonnées (ni .prj ni SCR dans le fichier) : choisissez-le sous « Système de coordonnées des contours », ou cochez « Coordonnées planes »"},
    "ioerr.points_crs": {"en": "coordinates in '{x}'/'{y}' need a CRS", "fr": "les coordonnées de « {x} »/« {y} » ont besoin d'un système de coordonnées : choisissez-le sous « Système de coordonnées des points (colonnes x/y) »"},
    "ioerr.timeout": {"en": "reading '{name}' took longer than {s} s and was stopped", "fr": 'la lecture de « {name} » a duré plus de {s} s et a été arrêtée'},
    "ioerr.memory": {"en": "reading '{name}' needed more than {mb} MB of memory and was stopped", "fr": 'la lecture de « {name} » demandait plus de {mb} Mo de mémoire et a été arrêtée'},
    "ioerr.busy": {"en": "the server is busy reading other files; '{name}' was not read, try again in a minute", "fr": "le serveur lit déjà d'autres fichiers ; « {name} » n'a pas été lu, réessayez dans une minute"},
    "ioerr.xlsx": {"en": "could not open '{name}' as an XLSX workbook", "fr": "« {name} » n'a pas pu être ouvert comme classeur XLSX"},
    "ioerr.over_limit": {"en": "'{name}' has {n} {what}, over the limit of {limit}", "fr": '« {name} » a {n} {what}, au-delà de la limite de {limit} ; refusé'},
    "legend.scheme_line": {"en": "Classes: {scheme}", "fr": "Classes : {scheme}"},
    # headers of tables the report and pages show (column_labels), beside COLUMN_LABELS_FR
    "column:section": {"en": "section", "fr": "section"},
    "column:key": {"en": "parameter", "fr": "paramètre"},
    "column:z": {"en": "z", "fr": "z"},
    "column:p": {"en": "p", "fr": "p"},
    "column:bin": {"en": "bin", "fr": "classe"},
    "column:term": {"en": "term", "fr": "terme"},
    "column:share": {"en": "share", "fr": "part"},
    "column:n": {"en": "n", "fr": "n"},
    "hot.formulas_line": {"en": "Formulas: {formulas}", "fr": "Formules : {formulas}"},
    "weights.queen": {"en": "queen contiguity", "fr": "contiguïté reine"},
    "weights.rook": {"en": "rook contiguity", "fr": "contiguïté tour"},
    "weights.knn": {"en": "{k} nearest neighbours", "fr": "{k} plus proches voisins"},
    "weights.distance": {"en": "neighbours within {d} m", "fr": "voisins à moins de {d} m"},
    "hot.eval_formulas": {"en": "hit rate = n / N (share of the period's incidents inside the hotspots); PAI = (n / N) / (a / A) (hit rate divided by the share of the study area covered); RRI = PAI(period 2) / PAI(period 1) = (n2 / n1) / (N2 / N1) for hotspots chosen in period 1.",
                          "fr": "taux de capture = n / N (part des incidents de la période dans les points chauds) ; PAI = (n / N) / (a / A) (taux de capture divisé par la part de la zone d'étude couverte) ; RRI = PAI(période 2) / PAI(période 1) = (n2 / n1) / (N2 / N1) pour des points chauds choisis en période 1."},
    "note.zero_den": {"en": "{n} unit(s) with a zero denominator have no rate",
                      "fr": "{n} unité(s) au dénominateur nul n'ont pas de taux"},
    "note.eb_islands": {"en": "{n} unit(s) without neighbours keep their own rate shrunk to itself",
                        "fr": "{n} unité(s) sans voisin gardent leur propre taux (lissé vers lui-même)"},
    "note.global_eb": {"en": "empirical Bayes smoothing towards the overall rate (esda Empirical_Bayes)",
                       "fr": "lissage bayésien empirique vers le taux d'ensemble (esda Empirical_Bayes)"},
    "note.spatial_eb": {"en": "spatial empirical Bayes smoothing towards neighbours' rate (esda Spatial_Empirical_Bayes, queen contiguity)",
                        "fr": "lissage bayésien empirique spatial vers le taux des voisins (esda Spatial_Empirical_Bayes, contiguïté reine)"},
    "note.excluded": {"en": "{n} unit(s) of type {types} left out: few residents, rates per resident are meaningless there",
                      "fr": "{n} unité(s) de type {types} écartée(s) : peu d'habitants, un taux par habitant n'y a pas de sens"},
    "breaks.bad_number": {"en": "Class breaks: '{token}' is not a number (write e.g. 72.5, 100, 150).",
                          "fr": "Seuils des classes : « {token} » n'est pas un nombre (écrivez par ex. 72,5 ; 100 ; 150)."},
    "breaks.ambiguous_fr": {"en": "Class breaks: '{token}' can be read two ways; in French the comma is the decimal mark: separate breaks with ';' (e.g. 72,5 ; 100).",
                            "fr": "Seuils des classes : « {token} » peut se lire de deux façons ; la virgule est le séparateur décimal : séparez les seuils par « ; » (ex. 72,5 ; 100)."},
    "breaks.mixed_en": {"en": "Class breaks: '{text}' mixes ',' and ';' between breaks: use one of them, with '.' for decimals (e.g. 72.5, 100, 150).",
                        "fr": "Seuils des classes : « {text} » mélange « , » et « ; » entre les seuils."},
    "breaks.empty": {"en": "Class breaks: '{text}' has an empty break between two separators.",
                     "fr": "Seuils des classes : « {text} » contient un seuil vide entre deux séparateurs."},
    "breaks.not_increasing": {"en": "Class breaks must increase: {b} comes after {a}.",
                              "fr": "Les seuils des classes doivent être croissants : {b} vient après {a}."},
    # equity page and findings
    "nav.equity": {"en": "4 · Equity", "fr": "4 · Équité"},
    "eq.title": {"en": "Equity", "fr": "Équité"},
    "eq.question": {"en": "Do checks fall on some neighbourhoods or groups more than recorded crime explains, and how sure are we?",
                    "fr": "Les contrôles touchent-ils certains quartiers ou groupes plus que la délinquance enregistrée ne l'explique, et avec quelle certitude ?"},
    "eq.enforcement": {"en": "Enforcement counts (e.g. identity checks)", "fr": "Effectifs de contrôles (ex. contrôles d'identité)"},
    "eq.crime": {"en": "Recorded crime counts", "fr": "Délinquance enregistrée (effectifs)"},
    "eq.other_crime": {"en": "Another crime measure (robustness)", "fr": "Autre mesure de la délinquance (robustesse)"},
    "eq.population": {"en": "Population (denominator)", "fr": "Population (dénominateur)"},
    "eq.group": {"en": "Group residents (e.g. immigrants)", "fr": "Résidents du groupe (ex. immigrés)"},
    "eq.reference": {"en": "Reference residents", "fr": "Résidents de référence"},
    "eq.complement": {"en": "Everyone else (population - group)", "fr": "Tous les autres (population - groupe)"},
    "eq.bootstrap": {"en": "Bootstrap resamples", "fr": "Rééchantillonnages bootstrap"},
    "eq.seed": {"en": "Random seed", "fr": "Graine aléatoire"},
    "eq.band": {"en": "Disparity band (ratios inside are not flagged)", "fr": "Bande de disparité (rapports non signalés à l'intérieur)"},
    "eq.burden_checks": {"en": "checks per 1,000 residents", "fr": "contrôles pour 1 000 habitants"},
    "eq.area.overlay": {"en": "residents of priority-neighbourhood units (QPV share > 50%)",
                        "fr": "résidents des unités en quartier prioritaire (part QPV > 50 %)"},
    "eq.area.top_share": {"en": "residents of the fifth of units with the highest share of {group}",
                          "fr": "résidents du cinquième des unités où la part de {group} est la plus élevée"},
    "eq.group_kind": {"en": "Groups", "fr": "Groupes"},
    "eq.group_kind.people": {"en": "People-based: group residents vs reference", "fr": "Par personnes : résidents du groupe vs référence"},
    "eq.group_kind.overlay": {"en": "Area-based: priority neighbourhoods vs elsewhere", "fr": "Par zone : quartiers prioritaires vs ailleurs"},
    "eq.group_kind.top_share": {"en": "Area-based: top fifth of the group's share vs the rest", "fr": "Par zone : cinquième supérieur de la part du groupe vs le reste"},
    "eq.level.0": {"en": "low", "fr": "faible"},
    "eq.level.1": {"en": "medium", "fr": "moyen"},
    "eq.level.2": {"en": "high", "fr": "élevé"},
    "eq.biv.cell": {"en": "crime {x}, checks {y}", "fr": "délinquance {x}, contrôles {y}"},
    "eq.findings": {"en": "Findings", "fr": "Constats"},
    "eq.exposure": {"en": "People-weighted exposure to checks (per 1,000 residents)", "fr": "Exposition aux contrôles pondérée par la population (pour 1 000 habitants)"},
    "eq.model": {"en": "Benchmark model: checks beyond what recorded crime explains", "fr": "Modèle de référence : contrôles au-delà de ce qu'explique la délinquance enregistrée"},
    "eq.robustness": {"en": "Robustness: the same model, other choices", "fr": "Robustesse : le même modèle, d'autres choix"},
    "eq.representation": {"en": "Representation of the group in hotspots", "fr": "Représentation du groupe dans les points chauds"},
    "eq.layers": {"en": "Disparity layers", "fr": "Couches de disparité"},
    "eq.layer": {"en": "Layer", "fr": "Couche"},
    "eq.layer.bivariate": {"en": "Crime x checks (bivariate)", "fr": "Délinquance x contrôles (bivariée)"},
    "eq.layer.residual": {"en": "Checks observed / expected given crime", "fr": "Contrôles observés / attendus compte tenu de la délinquance"},
    "eq.layer.residual_gi": {"en": "Hot spots of the residual (Gi*)", "fr": "Points chauds du résidu (Gi*)"},
    "eq.layer.share": {"en": "Group share of residents", "fr": "Part du groupe parmi les résidents"},
    "eq.stop_level": {"en": "Stop-level outcome test", "fr": "Test de résultat au niveau des contrôles"},
    "eq.stop_level_none": {"en": "The loaded check records carry no outcome and group: the hit-rate test needs stop-level records with both (upload them on the Data page).",
                           "fr": "Les contrôles chargés ne portent ni résultat ni groupe : le test du taux de succès nécessite les deux (à charger sur la page Données)."},
    "eq.need_columns": {"en": "This page needs enforcement counts, crime counts, a population and a group column: load them on the Data page.",
                        "fr": "Cette page nécessite des effectifs de contrôles, de délinquance, une population et une colonne de groupe : chargez-les sur la page Données."},
    "eq.biv.legend": {"en": "Crime (→) and checks (↑) per 1,000 residents, terciles", "fr": "Délinquance (→) et contrôles (↑) pour 1 000 habitants, terciles"},
    "eq.biv.note": {"en": "Top-left: many checks, little recorded crime. Bottom-right: much crime, few checks.",
                    "fr": "En haut à gauche : beaucoup de contrôles, peu de délinquance enregistrée. En bas à droite : beaucoup de délinquance, peu de contrôles."},
    "eq.res.legend": {"en": "Checks observed / expected", "fr": "Contrôles observés / attendus"},
    "eq.res.more": {"en": "more than expected", "fr": "plus qu'attendu"},
    "eq.res.less": {"en": "fewer than expected", "fr": "moins qu'attendu"},
    "eq.res.as": {"en": "as expected", "fr": "comme attendu"},
    "eq.download": {"en": "Download the equity tables (CSV)", "fr": "Télécharger les tables d'équité (CSV)"},
    "finding.exposure": {"en": "Residents counted in '{group}' experience {ratio} times the {burden} of '{reference}' (95% interval {lo} to {hi}; {people} people in {units} units; activity and miscellaneous IRIS (A/D) left out). Inside the {lo_band}–{hi_band} band or not significant: not flagged. This is not adjusted for recorded crime.",
                         "fr": "Les résidents comptés dans « {group} » connaissent {ratio} fois le niveau de {burden} de « {reference} » (intervalle à 95 % : {lo} à {hi} ; {people} personnes dans {units} unités ; IRIS d'activité et divers (A/D) écartés). Dans la bande {lo_band}–{hi_band} ou non significatif : non signalé. Ce rapport n'est pas ajusté sur la délinquance enregistrée."},
    "finding.exposure_flag": {"en": "FLAG: residents counted in '{group}' experience {ratio} times the {burden} of '{reference}' (95% interval {lo} to {hi}; {people} people in {units} units; activity and miscellaneous IRIS (A/D) left out), outside the {lo_band}–{hi_band} band. This is not adjusted for recorded crime: see the benchmark model.",
                              "fr": "SIGNALÉ : les résidents comptés dans « {group} » connaissent {ratio} fois le niveau de {burden} de « {reference} » (intervalle à 95 % : {lo} à {hi} ; {people} personnes dans {units} unités ; IRIS d'activité et divers (A/D) écartés), hors de la bande {lo_band}–{hi_band}. Ce rapport n'est pas ajusté sur la délinquance enregistrée : voir le modèle de référence."},
    "finding.representation": {"en": "{method}: the group's share living in hotspot units is {ratio} times the share of all residents living there (95% interval {lo} to {hi}; {units} hotspot units).",
                               "fr": "{method} : la part du groupe vivant dans les unités en point chaud est {ratio} fois celle de l'ensemble des résidents (intervalle à 95 % : {lo} à {hi} ; {units} unités en point chaud)."},
    "caveat.area_level": {"en": "Caveat: these are area-level results about where people live, not about the individuals who were checked.",
                          "fr": "Limite : ce sont des résultats par zone, sur les lieux de résidence, pas sur les personnes contrôlées."},
    "caveat.withheld": {"en": "Caveat: counts under the disclosure threshold are withheld from every display; the statistics use them.",
                        "fr": "Limite : les effectifs sous le seuil de secret sont masqués dans tous les affichages ; les statistiques les utilisent."},
    # --- strings added for: indicators (add this area's new strings right below this line)
    "ind.pct": {"en": "{column} as % of {per}", "fr": "{column} en % de {per}"},
    "ind.unit_pct": {"en": "%", "fr": "%"},
    "record.field": {"en": "Field", "fr": "Champ"},
    "record.value": {"en": "Value", "fr": "Valeur"},
    "coverage.partial": {"en": "The table covers {n} of {total} units ({communes}); the map is fitted to them.",
                         "fr": "Le tableau couvre {n} unités sur {total} ({communes}) ; la carte est cadrée sur elles."},
    "read.units": {"en": "Read {rows} units from {file} ({format}).", "fr": "{rows} unités lues dans {file} ({format})."},
    "read.table": {"en": "Read {rows} rows from {file} ({format}).", "fr": "{rows} lignes lues dans {file} ({format})."},
    "read.points": {"en": "Read {rows} points from {file} ({format}).", "fr": "{rows} points lus dans {file} ({format})."},
    "read.encoding": {"en": "Text encoding {encoding}.", "fr": "Encodage du texte : {encoding}."},
    "read.separator": {"en": "Columns separated by «{sep}».", "fr": "Colonnes séparées par « {sep} »."},
    "read.schema": {"en": "Columns recognised as {schema}.", "fr": "Colonnes reconnues : {schema}."},
    "read.schema_user": {"en": "Columns mapped by hand.", "fr": "Colonnes associées à la main."},
    "read.key": {"en": "Joined on the column {column}.", "fr": "Jointure sur la colonne {column}."},
    "read.crs_same": {"en": "Coordinates already in Lambert-93 (EPSG:2154).", "fr": "Coordonnées déjà en Lambert-93 (EPSG:2154)."},
    "read.repaired": {"en": "{n} invalid geometries repaired.", "fr": "{n} géométrie(s) invalide(s) réparée(s)."},
    "read.no_repair": {"en": "No invalid geometry.", "fr": "Aucune géométrie invalide."},
    "read.types": {"en": "{communes} commune(s); IRIS types: {types}.", "fr": "{communes} commune(s) ; types d'IRIS : {types}."},
    "read.xy": {"en": "Coordinates taken from the columns {x} and {y}.", "fr": "Coordonnées prises dans les colonnes {x} et {y}."},
    "read.rejected": {"en": "{missing} point(s) without coordinates and {impossible} outside France left out.",
                      "fr": "{missing} point(s) sans coordonnées et {impossible} hors de France écartés."},
    "read.dated": {"en": "Dates in {date}, categories in {category}.", "fr": "Dates dans {date}, catégories dans {category}."},
    "read.sentences": {"en": "What the readers did", "fr": "Ce qu'ont fait les lecteurs"},
    "clusters.none_dbscan": {"en": "No cluster: no place has at least {min} incidents within {eps} m ({n} incidents used). Lower the minimum or widen the radius.",
                             "fr": "Aucun agrégat : aucun endroit ne compte au moins {min} incidents dans un rayon de {eps} m ({n} incidents utilisés). Baissez le minimum ou élargissez le rayon."},
    "clusters.none_other": {"en": "No cluster: no group of at least {min} incidents stands out from its surroundings ({n} incidents used). Lower the minimum.",
                            "fr": "Aucun agrégat : aucun groupe d'au moins {min} incidents ne se détache de son voisinage ({n} incidents utilisés). Baissez le minimum."},
    "clusters.none_few": {"en": "No cluster: only {n} incidents are selected, fewer than the minimum of {min}. Widen the categories or years, or lower the minimum.",
                          "fr": "Aucun agrégat : seulement {n} incidents sélectionnés, moins que le minimum de {min}. Élargissez les catégories ou les années, ou baissez le minimum."},
    "typology.withheld": {"en": "{n} unit(s) withheld or without data are not typed.", "fr": "{n} unité(s) masquée(s) ou sans données ne sont pas classées."},
    "typology.rate_col": {"en": "{unit}: {column} / {per}", "fr": "{unit} : {column} / {per}"},
    "typology.as_rate": {"en": "{column} as a rate of {per} ({unit}), then standardised.", "fr": "{column} rapporté à {per} ({unit}), puis standardisé."},
    # readable field names (unit record); the raw code follows in brackets
    "field.unit_id": {"en": "Unit code", "fr": "Code de l'unité"},
    "field.unit_name": {"en": "Unit name", "fr": "Nom de l'unité"},
    "field.commune_id": {"en": "Commune code", "fr": "Code de la commune"},
    "field.commune_name": {"en": "Commune", "fr": "Commune"},
    "field.unit_type": {"en": "IRIS type (H habitat, A activity, D miscellaneous, Z whole commune)",
                        "fr": "Type d'IRIS (H habitat, A activité, D divers, Z commune non découpée)"},
    "field.IRIS": {"en": "IRIS code", "fr": "Code IRIS"}, "field.iris": {"en": "IRIS code", "fr": "Code IRIS"},
    "field.COM": {"en": "Commune code", "fr": "Code de la commune"},
    "field.LIBCOM": {"en": "Commune name", "fr": "Nom de la commune"},
    "field.LIBIRIS": {"en": "IRIS name", "fr": "Nom de l'IRIS"},
    "field.LIBGEO": {"en": "Area name", "fr": "Libellé géographique"},
    "field.TYP_IRIS": {"en": "IRIS type", "fr": "Type d'IRIS"},
    "field.REG": {"en": "Region code", "fr": "Code de la région"},
    "field.DEP": {"en": "Département code", "fr": "Code du département"},
    "field.EPCI": {"en": "Intercommunality code (EPCI)", "fr": "Code de l'intercommunalité (EPCI)"},
    "field.LIBEPCI": {"en": "Intercommunality (EPCI)", "fr": "Intercommunalité (EPCI)"},
    "field.UU2010": {"en": "Urban unit 2010", "fr": "Unité urbaine 2010"},
    "field.UU2020": {"en": "Urban unit 2020", "fr": "Unité urbaine 2020"},
    "field.TRIRIS": {"en": "TRIRIS code (group of about 3 IRIS)", "fr": "Code TRIRIS (groupe d'environ 3 IRIS)"},
    "field.GRD_QUART": {"en": "Large neighbourhood code", "fr": "Code du grand quartier"},
    "field.MODIF_IRIS": {"en": "IRIS changed since the previous boundaries (code)", "fr": "IRIS modifié depuis le découpage précédent (code)"},
    "field.LAB_IRIS": {"en": "IRIS quality label (code)", "fr": "Label de qualité de l'IRIS (code)"},
    "field.incidents": {"en": "Incidents", "fr": "Incidents"},
    "field.checks": {"en": "Identity checks", "fr": "Contrôles d'identité"},
    "field.POP": {"en": "Population", "fr": "Population"},
    "field.POP_IMM": {"en": "Immigrants", "fr": "Immigrés"},
    "field.POP_ETR": {"en": "Foreigners", "fr": "Étrangers"},
    "field.POPH": {"en": "Men", "fr": "Hommes"},
    "field.POPF": {"en": "Women", "fr": "Femmes"},
    "field.PMEN": {"en": "Population in households", "fr": "Population des ménages"},
    "field.LOG": {"en": "Dwellings", "fr": "Logements"},
    "field.RP": {"en": "Main residences", "fr": "Résidences principales"},
    "field.LOGVAC": {"en": "Vacant dwellings", "fr": "Logements vacants"},
    "field.MEN": {"en": "Households", "fr": "Ménages"},
    "field.DISP_MED": {"en": "Median disposable income per consumption unit (€)", "fr": "Revenu disponible médian par unité de consommation (€)"},
    "field.DISP_TP60": {"en": "Poverty rate at 60% of the median (%)", "fr": "Taux de pauvreté au seuil de 60 % (%)"},
    "field.age.POP": {"en": "Population", "fr": "Population"},
    "field.age.H": {"en": "Men", "fr": "Hommes"},
    "field.age.F": {"en": "Women", "fr": "Femmes"},
    "field.age.SCOL": {"en": "In education", "fr": "Scolarisés"},
    "field.age.ACT": {"en": "Labour force", "fr": "Actifs"},
    "field.age.ACTOCC": {"en": "Employed", "fr": "Actifs occupés"},
    "field.age.CHOM": {"en": "Unemployed", "fr": "Chômeurs"},
    "field.age.INACT": {"en": "Inactive", "fr": "Inactifs"},
    "field.age.ETUD": {"en": "Students", "fr": "Élèves et étudiants"},
    "field.age.RETR": {"en": "Retired", "fr": "Retraités"},
    "field.age_range": {"en": "aged {lo} to {hi}", "fr": "de {lo} à {hi} ans"},
    "field.age_plus": {"en": "aged {lo} or over", "fr": "de {lo} ans ou plus"},
    # labels produced by the statistics
    "label:Hot spot 99%": {"en": "Hot spot 99%", "fr": "Point chaud 99 %"},
    "label:Hot spot 95%": {"en": "Hot spot 95%", "fr": "Point chaud 95 %"},
    "label:Hot spot 90%": {"en": "Hot spot 90%", "fr": "Point chaud 90 %"},
    "label:Cold spot 99%": {"en": "Cold spot 99%", "fr": "Point froid 99 %"},
    "label:Cold spot 95%": {"en": "Cold spot 95%", "fr": "Point froid 95 %"},
    "label:Cold spot 90%": {"en": "Cold spot 90%", "fr": "Point froid 90 %"},
    "label:Not significant": {"en": "Not significant", "fr": "Non significatif"},
    "label:High-High": {"en": "High-High", "fr": "Haut-Haut"},
    "label:Low-Low": {"en": "Low-Low", "fr": "Bas-Bas"},
    "label:High-Low": {"en": "High-Low", "fr": "Haut-Bas"},
    "label:Low-High": {"en": "Low-High", "fr": "Bas-Haut"},
    "label:No data": {"en": "No data", "fr": "Pas de données"},
    "label:No neighbours (island)": {"en": "No neighbours (island)", "fr": "Sans voisin (île)"},
    # --- strings added for: presenter (add this area's new strings right below this line)
    # slides edited in the app, the findings slide, the report as a document
    "slide.findings.title": {"en": "What the analysis finds", "fr": "Ce que montre l'analyse"},
    "slide.findings.caption": {"en": "Each number with its interval and the units or people behind it.",
                               "fr": "Chaque nombre avec son intervalle et les unités ou personnes sur lesquelles il repose."},
    "slide.add": {"en": "Add this map as a slide", "fr": "Ajouter cette carte aux diapositives"},
    "slide.added": {"en": "Slide {n} added: {title}. Edit the slides on the Present page.",
                    "fr": "Diapositive {n} ajoutée : {title}. Modifiez les diapositives sur la page Présenter."},
    "slide.full": {"en": "At most {n} slides: remove one on the Present page first.",
                   "fr": "Au plus {n} diapositives : retirez-en une sur la page Présenter d'abord."},
    "present.edit": {"en": "Edit the slides", "fr": "Modifier les diapositives"},
    "present.edit_help": {"en": "Add maps with the button under each map (Explore, Hotspots, Equity, Evaluate). An empty title uses the map's own.",
                          "fr": "Ajoutez des cartes avec le bouton sous chaque carte (Explorer, Points chauds, Équité, Évaluer). Un titre vide reprend celui de la carte."},
    "present.slide_title": {"en": "Title of slide {n} ({layer})", "fr": "Titre de la diapositive {n} ({layer})"},
    "present.up": {"en": "Move up", "fr": "Monter"},
    "present.down": {"en": "Move down", "fr": "Descendre"},
    "present.remove": {"en": "Remove", "fr": "Retirer"},
    "present.layer.explore": {"en": "Explore map", "fr": "carte Explorer"},
    "present.layer.hotspots": {"en": "hot spots", "fr": "points chauds"},
    "present.layer.clusters": {"en": "clusters", "fr": "agrégats"},
    "present.layer.equity": {"en": "equity", "fr": "équité"},
    "present.layer.findings": {"en": "findings", "fr": "constats"},
    "present.slide_empty": {"en": "Nothing to show on the data loaded for this slide ({layer}): its point layer or "
                                  "column is not among the data. Remove the slide or load its data on the Data page.",
                            "fr": "Rien à montrer pour cette diapositive ({layer}) avec les données chargées : sa "
                                  "couche de points ou sa colonne n'y figure pas. Retirez-la ou chargez ses données "
                                  "sur la page Données."},
    "findings.hotspots": {"en": "{sig} of {n} units tested are significant at alpha {alpha}: {hot} hot, {cold} cold ({method}, {perm} permutations, multiple-testing correction: {correction}).",
                          "fr": "{sig} des {n} unités testées sont significatives au seuil alpha {alpha} : {hot} chaudes, {cold} froides ({method}, {perm} permutations, correction des tests multiples : {correction})."},
    "findings.clusters": {"en": "{k} incident clusters; {noise} of {n} incidents in no cluster.",
                          "fr": "{k} agrégats d'incidents ; {noise} des {n} incidents hors agrégat."},
    "findings.none": {"en": "No headline finding could be computed: see the notes of the report.",
                      "fr": "Aucun constat principal n'a pu être calculé : voir les notes du rapport."},
    "map.hull_row": {"en": "Cluster outline ({k} clusters)", "fr": "Contour d'agrégat ({k} agrégats)"},
    "report.summary": {"en": "Summary of findings", "fr": "Synthèse des constats"},
    "report.maps": {"en": "Maps", "fr": "Cartes"},
    "report.tables": {"en": "Tables", "fr": "Tableaux"},
    "report.appendix": {"en": "Appendix: methods, data and recipe", "fr": "Annexe : méthodes, données et recette"},
    "report.params": {"en": "Parameters", "fr": "Paramètres"},
    "report.contents": {"en": "Contents", "fr": "Sommaire"},
    "report.methods_equity": {"en": "Area-level results; small counts withheld. See the report for the model and its caveats.",
                              "fr": "Résultats par unité ; petits effectifs masqués. Voir le rapport pour le modèle et ses limites."},
    # runs, static maps, reports, presentation
    "run.no_equity": {"en": "Equity not computed: column(s) {cols} missing.", "fr": "Équité non calculée : colonne(s) {cols} absente(s)."},
    "static.caption": {"en": "Sources: {sources}. Map: lillegeo, {date}. Lambert-93 (EPSG:2154).",
                       "fr": "Sources : {sources}. Carte : lillegeo, {date}. Lambert-93 (EPSG:2154)."},
    "static.biv.low": {"en": "little crime, few checks", "fr": "peu de délinquance, peu de contrôles"},
    "static.biv.checks": {"en": "many checks, little crime", "fr": "beaucoup de contrôles, peu de délinquance"},
    "static.biv.crime": {"en": "much crime, few checks", "fr": "beaucoup de délinquance, peu de contrôles"},
    "static.biv.both": {"en": "much crime, many checks", "fr": "beaucoup de délinquance et de contrôles"},
    "present.keys": {"en": "→ / space: next · ←: previous · F: full screen", "fr": "→ / espace : suivante · ← : précédente · F : plein écran"},
    "report.generated": {"en": "Generated on {date} by lillegeo.", "fr": "Produit le {date} par lillegeo."},
    "report.more_rows": {"en": "{n} more rows in the CSV.", "fr": "{n} lignes de plus dans le CSV."},
    "report.recipe": {"en": "The recipe (re-run with: python -m lillegeo run recipe.toml --out DIR)",
                      "fr": "La recette (à relancer avec : python -m lillegeo run recipe.toml --out DOSSIER)"},
    "report.loaded": {"en": "What was loaded", "fr": "Ce qui a été chargé"},
    "report.join": {"en": "{matched} of {n} units matched a table row; {without} units without data; {unmatched} table rows with no unit.",
                    "fr": "{matched} unités sur {n} appariées à une ligne de la table ; {without} unités sans données ; {unmatched} lignes de la table sans unité."},
    "report.moran": {"en": "Global Moran's I = {i} (pseudo {p}; {perm} permutations, seed {seed}, weights {weights}).",
                     "fr": "I de Moran global = {i} (pseudo {p} ; {perm} permutations, graine {seed}, pondérations {weights})."},
    "report.methods": {"en": "Methods and caveats", "fr": "Méthodes et limites"},
    "report.methods_text": {"en": "Rates per 1,000 residents; activity and miscellaneous (A/D) IRIS left out of rates; counts from 1 to 10 withheld. Hot spots: Getis-Ord Gi* (binary weights) or local Moran (row-standardised), conditional permutations, pseudo p = (M+1)/(R+1). Clusters: density clustering in Lambert-93 metres. Equity: people-weighted exposure with a bootstrap interval; negative binomial benchmark model with offset log(population) and recorded crime as covariate. Recorded crime depends on where police look; results are area-level.",
                            "fr": "Taux pour 1 000 habitants ; IRIS d'activité et divers (A/D) écartés des taux ; effectifs de 1 à 10 masqués. Points chauds : Getis-Ord Gi* (pondérations binaires) ou Moran local (standardisé en ligne), permutations conditionnelles, pseudo p = (M+1)/(R+1). Agrégats : classification par densité en mètres Lambert-93. Équité : exposition pondérée par la population avec intervalle bootstrap ; modèle binomial négatif avec offset log(population) et délinquance enregistrée en covariable. La délinquance enregistrée dépend de là où la police regarde ; les résultats sont par zone."},
    "slide.explore.title": {"en": "Incidents per 1,000 residents", "fr": "Incidents pour 1 000 habitants"},
    "slide.explore.caption": {"en": "Activity and miscellaneous units left out; small counts withheld.",
                              "fr": "Unités d'activité et divers écartées ; petits effectifs masqués."},
    "slide.hotspots.title": {"en": "Where incidents concentrate (Gi*)", "fr": "Où les incidents se concentrent (Gi*)"},
    "slide.hotspots.caption": {"en": "Hot and cold spots of incidents per unit (Getis-Ord Gi*, permutation test).",
                               "fr": "Points chauds et froids des incidents par unité (Getis-Ord Gi*, test par permutations)."},
    "slide.clusters.title": {"en": "Incident clusters", "fr": "Agrégats d'incidents"},
    "slide.clusters.caption": {"en": "Outlines of dense clusters; no individual incident is shown.",
                               "fr": "Contours des agrégats denses ; aucun incident individuel n'est montré."},
    "slide.equity.title": {"en": "Recorded crime and checks", "fr": "Délinquance enregistrée et contrôles"},
    "slide.equity.caption": {"en": "Top-left colours: many checks where little crime is recorded.",
                             "fr": "Couleurs en haut à gauche : beaucoup de contrôles là où peu de délinquance est enregistrée."},
    "nav.present": {"en": "6 · Present", "fr": "6 · Présenter"},
    "present.title": {"en": "Present", "fr": "Présenter"},
    "present.question": {"en": "What should the council see? Full-screen slides that work with no network.",
                         "fr": "Que doit voir le conseil ? Des diapositives plein écran qui fonctionnent sans réseau."},
    "present.help": {"en": "Click the slides, then step with → and ←; F for full screen. Or download them: one file that opens offline.",
                     "fr": "Cliquez sur les diapositives puis avancez avec → et ← ; F pour le plein écran. Ou téléchargez-les : un fichier qui s'ouvre hors ligne."},
    "present.download": {"en": "Download the slides (offline HTML)", "fr": "Télécharger les diapositives (HTML hors ligne)"},
    "present.report": {"en": "Download the report (HTML)", "fr": "Télécharger le rapport (HTML)"},
    "present.report_pdf": {"en": "Download the report (PDF)", "fr": "Télécharger le rapport (PDF)"},
    "present.building": {"en": "Preparing the slides…", "fr": "Préparation des diapositives…"},
    "present.slides": {"en": "Slides", "fr": "Diapositives"},
    "recipe.title": {"en": "Recipe", "fr": "Recette"},
    "recipe.save": {"en": "Save the recipe (TOML)", "fr": "Enregistrer la recette (TOML)"},
    "recipe.load": {"en": "Load a recipe", "fr": "Charger une recette"},
    "recipe.loaded": {"en": "Recipe loaded: {title}", "fr": "Recette chargée : {title}"},
    "recipe.needs_files": {"en": "This recipe needs files this session has not loaded: {files}. Load them on the Data page and its choices apply then (or run it with python -m lillegeo run).",
                           "fr": "Cette recette a besoin de fichiers que cette session n'a pas chargés : {files}. Chargez-les sur la page Données et ses choix s'appliqueront alors (ou lancez-la avec python -m lillegeo run)."},
    "explore.download_csv": {"en": "Download (CSV)", "fr": "Télécharger (CSV)"},
    "explore.download_png": {"en": "Static map (PNG)", "fr": "Carte statique (PNG)"},
    "explore.download_pdf": {"en": "Static map (PDF)", "fr": "Carte statique (PDF)"},
    "export.xlsx": {"en": "Download (XLSX)", "fr": "Télécharger (XLSX)"},
    "ind.per": {"en": "{column} per {mult} {per}", "fr": "{column} pour {mult} {per}"},
    "ind.unit": {"en": "per {mult}", "fr": "pour {mult}"},
    "rob.main": {"en": "negative binomial (main)", "fr": "binomiale négative (principal)"},
    "rob.poisson": {"en": "Poisson, robust errors", "fr": "Poisson, erreurs robustes"},
    "rob.no_ad": {"en": "excluding A/D units", "fr": "sans les IRIS A/D"},
    "rob.cluster": {"en": "errors clustered by {col}", "fr": "erreurs groupées par {col}"},
    "rob.other": {"en": "other crime measure ({col})", "fr": "autre mesure de la délinquance ({col})"},
    "rep.gi": {"en": "Gi* on recorded crime (alpha {alpha})", "fr": "Gi* sur la délinquance enregistrée (alpha {alpha})"},
    "rep.lm": {"en": "Local Moran High-High (alpha {alpha})", "fr": "Moran local Haut-Haut (alpha {alpha})"},
    "rep.dbscan": {"en": "DBSCAN clusters (r={eps} m, min {min})", "fr": "agrégats DBSCAN (r = {eps} m, min {min})"},
    "slide.hotspots_lm.title": {"en": "Where incidents cluster (local Moran)", "fr": "Où les incidents se regroupent (Moran local)"},
    "slide.hotspots_lm.caption": {"en": "Clusters and outliers of incidents per unit (local Moran, permutation test, alpha {alpha}).",
                                  "fr": "Regroupements et valeurs atypiques des incidents par unité (Moran local, test par permutations, alpha {alpha})."},
    "run.hotspots_failed": {"en": "Hot spots not computed: {error}", "fr": "Points chauds non calculés : {error}"},
    "run.equity_failed": {"en": "Equity not computed: {error}", "fr": "Équité non calculée : {error}"},
    "run.clusters_failed": {"en": "Clusters not computed: {error}", "fr": "Agrégats non calculés : {error}"},
    # --- strings added for: profiling (add this area's new strings right below this line)
    "verdict.about_share": {
        "en": "This verdict is about the share of '{group}' among each unit's residents (the benchmark model), not "
              "about the areas compared above.",
        "fr": "Ce verdict porte sur la part de « {group} » parmi les habitants de chaque unité (le modèle de "
              "référence), pas sur les zones comparées plus haut."},
    "prof.err.census_column": {
        "en": "'{col}' is an INSEE census column (counts of residents), not a count of police checks or of recorded "
              "crime. Load the checks and the recorded crime on the Data page (point files, or columns of a table), "
              "then choose them here as enforcement and crime.",
        "fr": "« {col} » est une colonne du recensement de l'INSEE (des effectifs d'habitants), pas un nombre de "
              "contrôles ni de faits enregistrés. Chargez les contrôles et la délinquance enregistrée sur la page "
              "Données (fichiers de points ou colonnes d'un tableau), puis choisissez-les ici comme contrôles et "
              "délinquance."},
    "prof.err.degenerate": {
        "en": "the equity models could not be fitted on these columns (a division by zero in the fit): check that "
              "enforcement, crime, population and group are counts with enough non-zero units",
        "fr": "les modèles d'équité n'ont pas pu être ajustés sur ces colonnes (division par zéro dans "
              "l'ajustement) : vérifiez que contrôles, délinquance, population et groupe sont des effectifs avec "
              "assez d'unités non nulles"},
    "prof.err.all_zero": {"en": "the enforcement column is zero in every modelled unit: there is nothing to model; check the column chosen for enforcement",
                          "fr": "la colonne des contrôles vaut zéro dans toutes les unités modélisées : rien à modéliser ; vérifiez la colonne choisie pour les contrôles"},
    "prof.err.diverged": {"en": "the {model} fit did not converge to a usable estimate ({why}); no rate ratio is reported. Check for units with no checks at all in one group of units, too few units, or a share column that barely varies",
                          "fr": "l'ajustement {model} n'a pas convergé vers une estimation utilisable ({why}) ; aucun rapport de taux n'est donné. Vérifiez s'il y a des unités sans aucun contrôle dans tout un groupe d'unités, trop peu d'unités ou une part qui varie à peine"},
    "prof.err.share_negative": {"en": "the group's share has a negative value ({v}); give a proportion (0-1), a percentage (0-100) or a count of group residents",
                                "fr": "la part du groupe a une valeur négative ({v}) ; donnez une proportion (0-1), un pourcentage (0-100) ou un effectif de résidents du groupe"},
    "prof.err.share_ambiguous": {"en": "the group's share goes up to {v}: a percentage or a small count of residents? Say which (share kind 'percent' or 'count', e.g. --share-kind percent)",
                                 "fr": "la part du groupe va jusqu'à {v} : pourcentage ou petit effectif de résidents ? Précisez-le (type de part « percent » ou « count », par ex. --share-kind percent)"},
    "prof.err.share_proportion": {"en": "share must be a proportion between 0 and 1 (e.g. immigrants / population), got values up to {v}; for a percentage say share kind 'percent', for residents 'count'",
                                  "fr": "la part doit être une proportion entre 0 et 1 (par ex. immigrés / population), valeurs jusqu'à {v} ; pour un pourcentage indiquez le type « percent », pour des résidents « count »"},
    "prof.err.share_percent": {"en": "a percentage cannot exceed 100 (got {v}); is it a count of residents (share kind 'count')?",
                               "fr": "un pourcentage ne peut dépasser 100 (valeur {v}) ; s'agit-il d'un effectif de résidents (type « count ») ?"},
    "prof.err.share_count_pop": {"en": "a count of group residents needs the population column to become a share",
                                 "fr": "un effectif de résidents du groupe a besoin de la colonne de population pour devenir une part"},
    "prof.err.count_above_pop": {"en": "the group count exceeds the population in {n} unit(s) (first: {units}); check that both columns come from the same census and year",
                                 "fr": "l'effectif du groupe dépasse la population dans {n} unité(s) (premières : {units}) ; vérifiez que les deux colonnes viennent du même recensement et de la même année"},
    "prof.note.percent": {"en": "share read as a percentage and divided by 100", "fr": "part lue comme un pourcentage et divisée par 100"},
    "prof.note.count": {"en": "share computed as group residents / population", "fr": "part calculée comme résidents du groupe / population"},
    "rob.calibrated": {"en": "crime as a latent rate recorded with Poisson noise (joint Poisson-lognormal model; Carroll et al. 2006, ch. 8)", "fr": "délinquance comme taux latent enregistré avec un bruit de Poisson (modèle joint Poisson-lognormal ; Carroll et al. 2006, ch. 8)"},
    "prof.latent_model": {"en": "latent crime", "fr": "délinquance latente"},
    "prof.err.latent_counts": {"en": "recorded crime must be whole counts (0, 1, 2, …) for the latent-crime model", "fr": "la délinquance enregistrée doit être un nombre entier de faits (0, 1, 2, …) pour le modèle de délinquance latente"},
    "rob.spline": {"en": "crime as a spline (B-spline, 4 df, de Boor 1978)", "fr": "délinquance en spline (B-spline, 4 ddl, de Boor 1978)"},
    "rob.lag": {"en": "with neighbours' crime (spatial lag, queen weights; LeSage & Pace 2009)", "fr": "avec la délinquance des voisins (décalage spatial, contiguïté reine ; LeSage & Pace 2009)"},
    "rob.esf": {"en": "spatial filter ({k} Moran eigenvectors; Griffith 2003, Tiefelsdorf & Griffith 2007)", "fr": "filtre spatial ({k} vecteurs propres de Moran ; Griffith 2003, Tiefelsdorf & Griffith 2007)"},
    "rob.moran": {"en": "residual Moran's I (Pearson residuals, queen weights; Cliff & Ord 1981): I = {i}, {p}", "fr": "I de Moran des résidus (résidus de Pearson, contiguïté reine ; Cliff & Ord 1981) : I = {i}, {p}"},
    "verdict.robust": {"en": "Verdict: ROBUST. Given recorded crime, each 10 more points of the group's share go with {rr} times the checks (95% interval {lo} to {hi}; {p}; {n} units). The interval excludes 1 under all {k} specifications of the robustness table, and only a crime-recording {dir} of more than {g_lo} per 10 points of share (tolerance {tol}) would bring its lower bound to 1 ({g} to explain the estimate entirely).",
                       "fr": "Verdict : SOLIDE. À délinquance enregistrée égale, 10 points de plus de part du groupe vont avec {rr} fois plus de contrôles (intervalle à 95 % : {lo} à {hi} ; {p} ; {n} unités). L'intervalle exclut 1 dans les {k} spécifications du tableau de robustesse, et seul un {dir} de la délinquance de plus de {g_lo} par 10 points de part (tolérance {tol}) ramènerait sa borne basse à 1 ({g} pour expliquer toute l'estimation)."},
    "verdict.fragile": {"en": "Verdict: FRAGILE. Given recorded crime, each 10 more points of the group's share go with {rr} times the checks (95% interval {lo} to {hi}; {p}; {n} units), but the interval excludes 1 in only {k_ex} of {k} specifications, or a crime-recording {dir} of {g_lo} per 10 points of share (tolerance {tol}) would be enough to bring its lower bound to 1 ({g} to explain the estimate entirely).",
                        "fr": "Verdict : FRAGILE. À délinquance enregistrée égale, 10 points de plus de part du groupe vont avec {rr} fois plus de contrôles (intervalle à 95 % : {lo} à {hi} ; {p} ; {n} unités), mais l'intervalle n'exclut 1 que dans {k_ex} spécifications sur {k}, ou un {dir} de la délinquance de {g_lo} par 10 points de part (tolérance {tol}) suffirait à ramener sa borne basse à 1 ({g} pour expliquer toute l'estimation)."},
    "verdict.no_evidence": {"en": "Verdict: NO EVIDENCE. Given recorded crime, each 10 more points of the group's share go with {rr} times the checks (95% interval {lo} to {hi}; {p}; {n} units); no specification of the robustness table ({k}) has an interval that excludes 1. This does not prove the absence of a disparity.",
                            "fr": "Verdict : PAS DE PREUVE. À délinquance enregistrée égale, 10 points de plus de part du groupe vont avec {rr} fois plus de contrôles (intervalle à 95 % : {lo} à {hi} ; {p} ; {n} unités) ; aucune spécification du tableau de robustesse ({k}) n'a un intervalle qui exclut 1. Cela ne prouve pas l'absence de disparité."},
    "verdict.tipping": {"en": "Sensitivity: a crime-recording {dir} of {g} per 10 points of share would be enough to explain this estimate; {g_lo} would bring the interval's lower bound to 1. A gradient of that size would overturn the finding; the verdict is robust only when it exceeds the tolerance ({tol}), and recorded crime cannot tell us whether such a gradient exists (E-value idea, VanderWeele & Ding 2017; omitted-variable bias, Cinelli & Hazlett 2020).",
                        "fr": "Sensibilité : un {dir} de la délinquance de {g} par 10 points de part suffirait à expliquer cette estimation ; {g_lo} ramènerait la borne basse de l'intervalle à 1. Un gradient de cette taille renverserait le constat ; le verdict n'est robuste que s'il dépasse la tolérance ({tol}), et la délinquance enregistrée ne permet pas de savoir si un tel gradient existe (idée de la « valeur E », VanderWeele & Ding 2017 ; biais de variable omise, Cinelli & Hazlett 2020)."},
    "verdict.shortfall": {"en": "shortfall", "fr": "sous-enregistrement"},
    "verdict.excess": {"en": "excess (recording higher where the share is higher)", "fr": "sur-enregistrement (plus d'enregistrement là où la part est plus forte)"},
    "verdict.tipping_none": {"en": "Sensitivity: in this fit checks do not rise with recorded crime (elasticity {b}), so no recording gradient can be computed; treat the estimate with care.",
                             "fr": "Sensibilité : dans cet ajustement les contrôles n'augmentent pas avec la délinquance enregistrée (élasticité {b}) ; aucun gradient d'enregistrement ne peut être calculé ; prudence avec l'estimation."},
    "caveat.feedback": {"en": "Caveat: recorded crime depends on where police look and on what victims report; if recording rises or falls with the group's share, or checks create records, the crime benchmark can hide a bias or create one (omitted-variable and feedback bias: the error can go either way).",
                        "fr": "Limite : la délinquance enregistrée dépend de là où la police regarde et de ce que les victimes signalent ; si l'enregistrement augmente ou diminue avec la part du groupe, ou si les contrôles créent des enregistrements, la référence peut masquer un biais ou en créer un (variable omise, boucle de rétroaction : l'erreur peut aller dans les deux sens)."},
    "eq.sensitivity": {"en": "Sensitivity: how large a recording gradient would change the conclusion", "fr": "Sensibilité : quel gradient d'enregistrement changerait la conclusion"},
    "eq.rate_ratio": {"en": "corrected rate ratio", "fr": "rapport de taux corrigé"},
    "eq.sensitivity_x": {"en": "crime-recording shortfall per 10 points of share (%)", "fr": "sous-enregistrement de la délinquance par 10 points de part (%)"},
    # reader notes
    "rep.planar": {"en": "kept coordinates as they are (planar units, no reprojection): maps use a plain grid", "fr": "coordonnées gardées telles quelles (unités planes, sans reprojection) : les cartes utilisent une grille simple"},
    "rep.crs_override": {"en": "the file declares {declared}; using the CRS you stated ({stated}) instead", "fr": "le fichier déclare {declared} ; le système indiqué ({stated}) est utilisé à la place"},
    "rep.l93": {"en": "the .prj describes Lambert-93 without an EPSG code: recognised as EPSG:2154", "fr": "le .prj décrit le Lambert-93 sans code EPSG : reconnu comme EPSG:2154"},
    "rep.reprojected": {"en": "reprojected from {crs} to EPSG:2154 (Lambert-93) for measurement", "fr": "reprojeté de {crs} vers EPSG:2154 (Lambert-93) pour les mesures"},
    "rep.zip_many": {"en": "the zip holds {n} shapefiles; read '{name}'", "fr": "le zip contient {n} shapefiles ; « {name} » a été lu"},
    "rep.gpkg_layers": {"en": "the GeoPackage has {n} layers; read '{name}'", "fr": "le GeoPackage a {n} couches ; « {name} » a été lue"},
    "rep.padded": {"en": "{n} {what} codes had lost their leading zero; padded to {width} characters", "fr": "{n} codes ({what}) avaient perdu leur zéro initial ; complétés à {width} caractères"},
    "rep.empty_geom": {"en": "{n} feature(s) with empty geometry dropped", "fr": "{n} entité(s) à géométrie vide écartée(s)"},
    "rep.flat3d": {"en": "3D coordinates flattened to 2D", "fr": "coordonnées 3D ramenées en 2D"},
    "rep.repaired": {"en": "{n} invalid geometry(ies) repaired (make_valid)", "fr": "{n} géométrie(s) invalide(s) réparée(s) (make_valid)"},
    "rep.no_commune": {"en": "no commune code column: commune code taken as the first 5 characters of the unit code", "fr": "pas de colonne de code commune : code commune pris dans les 5 premiers caractères du code de l'unité"},
    "rep.no_type": {"en": "no IRIS type column: every unit treated as type H (habitat)", "fr": "pas de colonne de type d'IRIS : toutes les unités traitées comme de type H (habitat)"},
    "rep.mixed": {"en": "column {col}: {n} value(s) that are not numbers (e.g. '{example}') read as missing",
                  "fr": "colonne {col} : {n} valeur(s) non numérique(s) (ex. « {example} ») lue(s) comme manquante(s)"},
    "rep.decoded": {"en": "text decoded as {enc} (not UTF-8)", "fr": "texte décodé en {enc} (pas en UTF-8)"},
    "rep.r_index": {"en": "dropped an unnamed first column of row numbers (as written by R write.csv2)", "fr": "première colonne sans nom de numéros de ligne écartée (écrite par R write.csv2)"},
    "rep.decimal_comma": {"en": "decimal commas read as decimal points", "fr": "virgules décimales lues comme séparateur décimal"},
    "rep.title_lines": {"en": "skipped {n} title line(s) above the column names (sheet '{sheet}')", "fr": "{n} ligne(s) de titre au-dessus des noms de colonnes ignorée(s) (feuille « {sheet} »)"},
    "rep.zip_read": {"en": "read '{name}' from the zip", "fr": "« {name} » lu dans le zip"},
    "rep.no_coords": {"en": "{n} row(s) without coordinates rejected", "fr": "{n} ligne(s) sans coordonnées rejetée(s)"},
    "rep.bad_coords": {"en": "{n} row(s) with impossible coordinates (outside the CRS's area of use) rejected", "fr": "{n} ligne(s) aux coordonnées impossibles (hors du domaine du système) rejetée(s)"},
    "rep.bad_dates": {"en": "{n} date(s) in '{col}' could not be read and were left empty", "fr": "{n} date(s) de « {col} » illisible(s), laissée(s) vide(s)"},
    "rep.nonstd": {"en": "{n} unit code(s) are not 9-character IRIS codes (e.g. '{example}'); they are kept as given", "fr": "{n} code(s) d'unité ne sont pas des codes IRIS à 9 caractères (ex. « {example} ») ; ils sont gardés tels quels"},
    "rep.withheld": {"en": "{n} withheld or missing value(s) (ns, nd, s, nc or empty) turned into missing values in {cols} column(s)", "fr": "{n} valeur(s) secrètes ou manquantes (ns, nd, s, nc ou vide) devenues manquantes dans {cols} colonne(s)"},
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
    "map.units": {"en": "Units", "fr": "Unités (IRIS)"},
    "map.hulls": {"en": "Incident clusters (hulls)", "fr": "Agrégats d'incidents (enveloppes)"},
    "map.cluster": {"en": "Cluster", "fr": "Agrégat"},
    "map.incidents": {"en": "Incidents", "fr": "Incidents"},
    "map.area_ha": {"en": "Area (ha)", "fr": "Surface (ha)"},
    "map.heat": {"en": "Heat surface (kernel density)", "fr": "Surface de chaleur (densité de noyau)"},
    "map.heat_legend": {"en": "Incidents per km² (bandwidth {bw} m)", "fr": "Incidents par km² (largeur de bande {bw} m)"},
    "map.heat_note": {"en": "Only the denser half of the surface is coloured.",
                      "fr": "Seule la moitié la plus dense de la surface est colorée."},
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
    "widget.choose": {"en": "Choose options", "fr": "Choisir"},
    "recipe.not_utf8": {"en": "This file is not a recipe: a recipe is UTF-8 text (TOML).",
                        "fr": "Ce fichier n'est pas une recette : une recette est un texte UTF-8 (TOML)."},
    "run.no_clusters": {"en": "Clusters not computed: point layer '{layer}' is not loaded (layers: {layers}).",
                        "fr": "Agrégats non calculés : la couche de points « {layer} » n'est pas chargée (couches : {layers})."},
    "hot.note": {"en": "{label}; {weights}; {perm} permutations; seed {seed}; alpha {alpha}; correction {correction}",
                 "fr": "{label} ; {weights} ; {perm} permutations ; graine {seed} ; alpha {alpha} ; correction {correction}"},
    "hot.clusters_note": {"en": "{algorithm}: radius {eps} m, at least {min} incidents",
                          "fr": "{algorithm} : rayon {eps} m, au moins {min} incidents"},
    "hot.eval_params": {"en": "Hotspots of period 1 are chosen with these parameters (the same defaults as the other tabs).",
                        "fr": "Les points chauds de la période 1 sont choisis avec ces paramètres (mêmes valeurs par défaut que les autres onglets)."},
    "hot.eval_stale": {"en": "The parameters changed since the last comparison: run it again.",
                       "fr": "Les paramètres ont changé depuis la dernière comparaison : relancez-la."},
    # --- strings added for: prog-methods (add this area's new strings right below this line)
    "programme.fail.columns": {"en": "The panel lacks columns: it needs unit, period, count, role, start and area.",
                               "fr": "Il manque des colonnes au panel : il faut unit, period, count, role, start et area."},
    "programme.fail.no_treated": {"en": "No treated unit: pick the treated area first.",
                                  "fr": "Aucune unité traitée : choisissez d'abord la zone traitée."},
    "programme.fail.no_start": {"en": "The treated units have no start date.",
                                "fr": "Les unités traitées n'ont pas de date de début."},
    "programme.fail.no_control": {"en": "No control unit: every unit is treated or in the buffer.",
                                  "fr": "Aucune unité témoin : toutes les unités sont traitées ou dans la zone tampon."},
    "programme.fail.bad_counts": {"en": "Some counts are missing, negative or not numbers.",
                                  "fr": "Certains effectifs manquent, sont négatifs ou ne sont pas des nombres."},
    "programme.fail.no_pre": {"en": "No period before the start: nothing to compare with.",
                              "fr": "Aucune période avant le début : rien à quoi comparer."},
    "programme.fail.no_post": {"en": "No period after the start (of the last treated area): nothing to evaluate yet.",
                               "fr": "Aucune période après le début (de la dernière zone traitée) : rien à évaluer encore."},
    "programme.fail.all_zero": {"en": "All the counts are zero: no rate can be estimated.",
                                "fr": "Tous les effectifs sont nuls : aucun taux ne peut être estimé."},
    "programme.fail.zero_group": {"en": "The treated units (or the controls) have no event before or no event after the "
                                        "start, or in one of the periods compared: the rate ratio would be 0 or "
                                        "infinite, so none is given.",
                                  "fr": "Les unités traitées (ou témoins) n'ont aucun événement avant ou après le "
                                        "début, ou dans l'une des périodes comparées : le rapport de taux serait nul "
                                        "ou infini, il n'est donc pas donné."},
    "programme.fail.no_convergence": {"en": "The model did not converge ({model}): no estimate is given.",
                                      "fr": "Le modèle n'a pas convergé ({model}) : aucune estimation n'est donnée."},
    "programme.fail.not_finite": {"en": "The model gave an infinite or undefined interval ({model}): the data "
                                        "cannot identify the effect (too few events or units).",
                                  "fr": "Le modèle a donné un intervalle infini ou indéfini ({model}) : les données "
                                        "ne permettent pas d'identifier l'effet (trop peu d'événements ou d'unités)."},
    "programme.fail.few_pre": {"en": "Only {n_pre} period(s) before the start; at least {min_pre} are needed to "
                                     "check that treated and control units moved alike before.",
                               "fr": "Seulement {n_pre} période(s) avant le début ; il en faut au moins {min_pre} "
                                     "pour vérifier que les unités traitées et témoins évoluaient de même avant."},
    "programme.fail.few_donors": {"en": "Only {n} donor unit(s) with events; synthetic control needs at least "
                                        "{min}.",
                                  "fr": "Seulement {n} unité(s) donneuse(s) avec des événements ; le contrôle "
                                        "synthétique en demande au moins {min}."},
    "programme.pretrend.ok": {"en": "Before the start, the data show no evidence that treated and control units "
                                    "moved differently (joint test of the {k} pre-period event-study terms: {p}); "
                                    "this does not prove they moved alike: with few periods or events the test "
                                    "has little power.",
                              "fr": "Avant le début, les données ne montrent pas que les unités traitées et les témoins "
                                    "évoluaient différemment (test joint des {k} termes d'avant le début de l'étude "
                                    "d'événement : {p}) ; cela ne prouve pas qu'elles évoluaient de même : avec peu "
                                    "de périodes ou d'événements, le test a peu de puissance."},
    "programme.pretrend.differ": {"en": "Warning: before the start, treated and control units already moved "
                                        "differently (joint test of the {k} pre-period event-study terms: {p}). "
                                        "The difference-in-differences may mistake that trend for an effect.",
                                  "fr": "Attention : avant le début, unités traitées et témoins évoluaient déjà "
                                        "différemment (test joint des {k} termes d'avant le début : {p}). "
                                        "La double différence peut prendre cette tendance pour un effet."},
    "programme.note.synth_interval": {"en": "The interval inverts the placebo test: treated / synthetic divided by "
                                            "the spread of the donors' own actual / synthetic ratios after the start ({n} placebos).",
                                      "fr": "L'intervalle inverse le test placebo : traité / synthétique divisé par "
                                            "la dispersion des rapports réel / synthétique des donneurs après le début ({n} placebos)."},
    "programme.note.synth_disagree": {
        "en": "The p-value ({p}) and the interval answer different questions and disagree here: the p-value ranks "
              "how far the treated area moved away from its synthetic control after the start, in either direction "
              "and relative to how well it was fitted before (Abadie et al. 2010), among the donors given the same "
              "test; the interval says how large the change in events is against the donors' own changes. Read the "
              "size of the effect from the interval.",
        "fr": "La valeur p ({p}) et l'intervalle répondent à des questions différentes et divergent ici : la "
              "valeur p classe l'écart de la zone traitée à son contrôle synthétique après le début, dans un sens "
              "ou dans l'autre et rapporté à la qualité de l'ajustement avant (Abadie et al. 2010), parmi les "
              "donneurs soumis au même test ; l'intervalle dit l'ampleur du changement du nombre d'événements face "
              "aux changements propres des donneurs. Lisez l'ampleur de l'effet dans l'intervalle."},
    "programme.note.synth_outside": {"en": "Before the start the treated area had {ratio} times the events of the "
                                           "busiest donor: no mix of donors reaches its level, so the synthetic "
                                           "control fits it poorly; prefer the difference-in-differences here.",
                                     "fr": "Avant le début, la zone traitée avait {ratio} fois les événements du "
                                           "donneur le plus chargé : aucun mélange de donneurs n'atteint son niveau, "
                                           "le contrôle synthétique l'ajuste mal ; préférez ici la double différence."},
    "programme.note.synth_few_placebos": {"en": "Only {n} placebos: too few for a {level}% interval; the rank "
                                                "p-value alone is given.",
                                          "fr": "Seulement {n} placebos : trop peu pour un intervalle à {level} % ; "
                                                "seule la p-valeur de rang est donnée."},
    "programme.assume.before_after": {
        "en": "Before/after: the change in the treated area's rate is the programme's effect only if nothing else "
              "changed at the same time (season, trend, recording). Counts follow a Poisson law (negative binomial: "
              "more spread than Poisson allows).",
        "fr": "Avant/après : la variation du taux de la zone traitée n'est l'effet du programme que si rien d'autre "
              "n'a changé au même moment (saison, tendance, enregistrement). Les effectifs suivent une loi de "
              "Poisson (binomiale négative : plus dispersés que Poisson)."},
    "programme.assume.wdd": {
        "en": "Weighted displacement difference: without the programme, the treated area and the buffer would have "
              "changed by as many events as the control area scaled to their size before the start; counts are independent Poisson (the interval is "
              "too narrow when they are over-dispersed); before and after cover periods of the same length.",
        "fr": "Différence de déplacement pondérée : sans le programme, la zone traitée et la zone tampon auraient "
              "varié d'autant d'événements que la zone témoin ramenée à leur taille avant le début ; les effectifs sont des Poisson indépendants "
              "(l'intervalle est trop étroit s'ils sont sur-dispersés) ; avant et après couvrent des durées égales."},
    "programme.assume.did": {
        "en": "Difference-in-differences: without the programme, treated and control units would have followed "
              "parallel trends (in rates); nothing else changed only in the treated area at the start; the control "
              "units are not affected (buffer units are left out). Errors are clustered by unit. With staggered "
              "starts the single rate ratio averages the areas and can be biased if effects change over time.",
        "fr": "Double différence : sans le programme, unités traitées et témoins auraient suivi des tendances "
              "parallèles (en taux) ; rien d'autre n'a changé dans la seule zone traitée au début ; les unités "
              "témoins ne sont pas touchées (la zone tampon est écartée). Erreurs groupées par unité. Avec des "
              "débuts échelonnés, le rapport unique moyenne les zones et peut être biaisé si l'effet varie dans "
              "le temps."},
    "programme.assume.event": {
        "en": "Event study: the same assumptions as difference-in-differences, shown period by period relative to "
              "the start (reference: the period before); terms before the start near 1 support parallel trends.",
        "fr": "Étude d'événement : mêmes hypothèses que la double différence, montrées période par période "
              "autour du début (référence : la période précédente) ; des termes proches de 1 avant le début "
              "soutiennent l'hypothèse de tendances parallèles."},
    "programme.assume.synth": {
        "en": "Synthetic control: a weighted mix of control units (weights positive, summing to 1) that tracked the "
              "treated area before the start would have gone on tracking it without the programme; the donors are "
              "not affected. Significance comes from placebos: each donor treated in turn.",
        "fr": "Contrôle synthétique : un mélange pondéré d'unités témoins (poids positifs de somme 1) qui suivait "
              "la zone traitée avant le début aurait continué de la suivre sans le programme ; les donneurs ne "
              "sont pas touchés. La significativité vient des placebos : chaque donneur traité à son tour."},
    "programme.wdq.displacement": {"en": "displacement into the buffer", "fr": "déplacement vers la zone tampon"},
    "programme.wdq.diffusion": {"en": "diffusion of benefits to the buffer",
                                "fr": "diffusion des bénéfices à la zone tampon"},
    "programme.wdq.no_effect": {"en": "no effect on the buffer", "fr": "aucun effet sur la zone tampon"},
    "programme.wdq.undefined": {"en": "not defined (no buffer, or no success in the treated area)",
                                "fr": "non défini (pas de zone tampon, ou pas de succès dans la zone traitée)"},

    # --- strings added for: prog-flow (add this area's new strings right below this line)
    "run.programme_failed": {"en": "Programme evaluation not computed: {error}",
                             "fr": "Évaluation du programme non calculée : {error}"},
    "programme.name.before_after": {"en": "Before/after", "fr": "Avant/après"},
    "programme.name.wdd": {"en": "Weighted displacement difference", "fr": "Différence de déplacement pondérée"},
    "programme.name.did": {"en": "Difference-in-differences", "fr": "Double différence"},
    "programme.name.event": {"en": "Event study", "fr": "Étude d'événement"},
    "programme.name.synth": {"en": "Synthetic control", "fr": "Contrôle synthétique"},
    "programme.ref.before_after": {"en": "the same units before the start", "fr": "les mêmes unités avant le début"},
    "programme.ref.did": {"en": "the control units over the same periods",
                          "fr": "les unités témoins sur les mêmes périodes"},
    "programme.ref.event": {"en": "the control units over the same periods",
                            "fr": "les unités témoins sur les mêmes périodes"},
    "programme.ref.synth": {"en": "its synthetic control", "fr": "son contrôle synthétique"},
    "programme.find.fall": {"en": "{pct}% fewer events", "fr": "{pct} % d'événements en moins"},
    "programme.find.rise": {"en": "{pct}% more events", "fr": "{pct} % d'événements en plus"},
    "programme.find.ratio": {"en": "{method}: after the start the treated area had {change} than {reference} "
                                   "(rate ratio {est}, {level}% interval {interval}, {p}); {n_units} units, "
                                   "{n_periods} {periods}.",
                             "fr": "{method} : après le début, la zone traitée a connu {change} que {reference} "
                                   "(rapport de taux {est}, intervalle à {level} % {interval}, {p}) ; {n_units} "
                                   "unités, {n_periods} {periods}."},
    "programme.find.count": {"en": "{method}: {est} events in the treated area and its buffer, net of the control "
                                   "({level}% interval {interval}, {p}; negative means fewer events); {n_units} "
                                   "units, {n_periods} {periods}.",
                             "fr": "{method} : {est} événements dans la zone traitée et sa zone tampon, nets de la "
                                   "zone témoin (intervalle à {level} % {interval}, {p} ; négatif : moins "
                                   "d'événements) ; {n_units} unités, {n_periods} {periods}."},
    "programme.find.no_interval": {"en": "no interval", "fr": "pas d'intervalle"},
    "programme.find.failed": {"en": "{method}: no estimate. {why}", "fr": "{method} : pas d'estimation. {why}"},
    "programme.find.covers": {"en": "The interval includes {value}: the data cannot tell an effect from no effect.",
                              "fr": "L'intervalle contient {value} : les données ne distinguent pas un effet "
                                    "de l'absence d'effet."},
    "programme.find.wdq": {"en": "Around the treated area (buffer): weighted displacement quotient {wdq}, "
                                 "read as {reading}.",
                           "fr": "Autour de la zone traitée (zone tampon) : quotient de déplacement pondéré "
                                 "{wdq}, lu comme {reading}."},
    "programme.area_words": {"en": "no. {n} (start {start})", "fr": "n° {n} (début le {start})"},
    "programme.area_words_one": {"en": "(start {start})", "fr": "(début le {start})"},
    "programme.find.wdq_none": {"en": "Around the treated area (buffer): the weighted displacement quotient is not "
                                      "defined: it divides by the treated area's fall relative to the control "
                                      "units, and the treated area did not fall.",
                                "fr": "Autour de la zone traitée (zone tampon) : le quotient de déplacement pondéré "
                                      "n'est pas défini : il divise par la baisse de la zone traitée par rapport "
                                      "aux témoins, et la zone traitée n'a pas baissé."},
    "programme.find.wdq_none_area": {"en": "In the buffer around the treated area {area}: the weighted displacement "
                                           "quotient is not defined: it divides by the treated area's fall relative "
                                           "to the control units, and the treated area did not fall.",
                                     "fr": "Dans la zone tampon autour de la zone traitée {area} : le quotient de "
                                           "déplacement pondéré n'est pas défini : il divise par la baisse de la "
                                           "zone traitée par rapport aux témoins, et la zone traitée n'a pas baissé."},
    "programme.find.wdq_area": {"en": "In the buffer around the treated area {area}: weighted displacement quotient "
                                      "{wdq}, read as {reading}.",
                                "fr": "Dans la zone tampon autour de la zone traitée {area} : quotient de déplacement "
                                      "pondéré {wdq}, lu comme {reading}."},
    "programme.find.design": {"en": "Design: {treated} treated units, {buffer} in the buffer, {control} control "
                                    "units; start {start}.",
                              "fr": "Plan : {treated} unités traitées, {buffer} dans la zone tampon, {control} "
                                    "unités témoins ; début le {start}."},
    "programme.find.synthetic": {"en": "These are synthetic demo data, not real events.",
                                 "fr": "Ce sont des données de démonstration synthétiques, pas des événements réels."},
    "programme.period.month": {"en": "months", "fr": "mois"},
    "programme.period.quarter": {"en": "quarters", "fr": "trimestres"},

    # --- strings added for: prog-page (add this area's new strings right below this line)
    "nav.evaluate": {"en": "5 · Evaluate", "fr": "5 · Évaluer"},
    "evaluate.title": {"en": "Evaluate", "fr": "Évaluer"},
    "evaluate.question": {"en": "Did a programme change the outcome where it ran, compared with what, and did the problem move next door?",
                          "fr": "Un programme a-t-il changé les choses là où il a été mené, par rapport à quoi, et le problème s'est-il déplacé à côté ?"},
    "evaluate.need_points": {"en": "Evaluating a programme needs a point layer with dates (e.g. incidents): add one on the Data page.",
                             "fr": "Évaluer un programme demande une couche de points datés (par ex. les incidents) : ajoutez-en une sur la page Données."},
    "evaluate.define": {"en": "The intervention", "fr": "L'intervention"},
    "evaluate.undated": {"en": "The point layer(s) loaded ({layers}) have no dates, so nothing can be compared before "
                               "and after a start: load a layer with a date column (recognised names: {names}; or pick "
                               "the column on the Data page).",
                         "fr": "Les couches de points chargées ({layers}) n'ont pas de dates : rien ne peut être comparé "
                               "avant et après un début. Chargez une couche avec une colonne de dates (noms reconnus : "
                               "{names} ; ou choisissez la colonne sur la page Données)."},
    "evaluate.layer": {"en": "Point layer counted", "fr": "Couche de points comptée"},
    "evaluate.categories": {"en": "Categories (none: all)", "fr": "Catégories (aucune : toutes)"},
    "evaluate.treated_from": {"en": "Treated area", "fr": "Zone traitée"},
    "evaluate.treated_from.units": {"en": "Units picked from the list", "fr": "Unités choisies dans la liste"},
    "evaluate.treated_from.qpv": {"en": "Priority neighbourhoods (QPV)", "fr": "Quartiers prioritaires (QPV)"},
    "evaluate.treated_from.hotspots": {"en": "Current hot spots", "fr": "Points chauds actuels"},
    "evaluate.treated": {"en": "Treated units", "fr": "Unités traitées"},
    "evaluate.start": {"en": "Start of the programme", "fr": "Début du programme"},
    "evaluate.buffer_m": {"en": "Displacement ring (metres, 0: none)", "fr": "Anneau de déplacement (mètres, 0 : aucun)"},
    "evaluate.buffer_rings": {"en": "…or rings of neighbouring units (0: none)", "fr": "…ou couronnes d'unités voisines (0 : aucune)"},
    "evaluate.control": {"en": "Compared with", "fr": "Comparé à"},
    "evaluate.control.rest": {"en": "The rest of the city (minus the ring)", "fr": "Le reste de la ville (hors anneau)"},
    "evaluate.control.matched": {"en": "Units matched on pre-period trend and profile", "fr": "Unités appariées sur la tendance avant et le profil"},
    "evaluate.n_matched": {"en": "Matched control units", "fr": "Unités témoins appariées"},
    "evaluate.period": {"en": "Period", "fr": "Période"},
    "evaluate.period.month": {"en": "Month", "fr": "Mois"},
    "evaluate.period.quarter": {"en": "Quarter", "fr": "Trimestre"},
    "evaluate.method": {"en": "Method", "fr": "Méthode"},
    "evaluate.method.before_after": {"en": "Before/after rate ratio", "fr": "Rapport de taux avant/après"},
    "evaluate.method.wdd": {"en": "Weighted displacement difference (WDD)", "fr": "Différence de déplacement pondérée (WDD)"},
    "evaluate.method.did": {"en": "Difference-in-differences", "fr": "Double différence"},
    "evaluate.method.event": {"en": "Event study", "fr": "Étude d'événement"},
    "evaluate.method.synth": {"en": "Synthetic control", "fr": "Contrôle synthétique"},
    "evaluate.chart_png": {"en": "Chart (PNG)", "fr": "Graphique (PNG)"},
    "evaluate.chart_pdf": {"en": "Chart (PDF)", "fr": "Graphique (PDF)"},
    "evaluate.click": {"en": "Click a unit on the map to add it to the treated units (remove it from the list above).",
                       "fr": "Cliquez sur une unité de la carte pour l'ajouter aux unités traitées (retirez-la dans la liste ci-dessus)."},
    "evaluate.more": {"en": "More settings", "fr": "Autres réglages"},
    "evaluate.chart.index": {"en": "Index (mean before the start = 100)", "fr": "Indice (moyenne avant le début = 100)"},
    "evaluate.index": {"en": "Chart each line as an index (its mean before the start = 100)",
                       "fr": "Tracer chaque courbe en indice (sa moyenne avant le début = 100)"},
    "evaluate.family": {"en": "Count model", "fr": "Modèle de comptage"},
    "evaluate.family.poisson": {"en": "Poisson", "fr": "Poisson"},
    "evaluate.family.negbin": {"en": "Negative binomial (overdispersed counts)", "fr": "Binomiale négative (comptages surdispersés)"},
    "evaluate.event_window": {"en": "Periods shown around the start", "fr": "Périodes montrées autour du début"},
    "evaluate.alpha": {"en": "1 − confidence level", "fr": "1 − niveau de confiance"},
    "evaluate.seed": {"en": "Random seed", "fr": "Graine aléatoire"},
    "evaluate.running": {"en": "Evaluating the programme…", "fr": "Évaluation du programme…"},
    "evaluate.pick_treated": {"en": "Pick the treated units (or another way to choose the treated area) and a start date.",
                              "fr": "Choisissez les unités traitées (ou une autre façon de désigner la zone traitée) et une date de début."},
    "evaluate.pretrend": {"en": "Pre-trend check", "fr": "Test de pré-tendance"},
    "evaluate.pretrend_ok": {"en": "No evidence that treated and control units moved differently before the start "
                                   "({n} pre-periods; {p}); a test with few periods has little power.",
                             "fr": "Rien n'indique que unités traitées et témoins évoluaient différemment avant le "
                                   "début ({n} périodes avant ; {p}) ; avec peu de périodes, le test a peu de puissance."},
    "evaluate.findings": {"en": "Findings", "fr": "Constats"},
    "evaluate.series": {"en": "Over time", "fr": "Dans le temps"},
    "evaluate.event": {"en": "Event study", "fr": "Étude d'événement"},
    "evaluate.no_event": {"en": "No event study for this method or data.", "fr": "Pas d'étude d'événement pour cette méthode ou ces données."},
    "evaluate.map": {"en": "Change per unit", "fr": "Évolution par unité"},
    "evaluate.estimates": {"en": "Estimates", "fr": "Estimations"},
    "evaluate.synthetic_data": {"en": "The counts are synthetic (demo data).", "fr": "Les comptes sont synthétiques (données de démonstration)."},
    "evaluate.line.treated": {"en": "Treated", "fr": "Zone traitée"},
    "evaluate.line.control": {"en": "Control", "fr": "Témoins"},
    "evaluate.line.synthetic": {"en": "Synthetic control", "fr": "Contrôle synthétique"},
    "evaluate.line.buffer": {"en": "Ring (buffer)", "fr": "Anneau (zone tampon)"},
    "evaluate.chart.series": {"en": "Events per unit and period", "fr": "Événements par unité et par période"},
    "evaluate.chart.event": {"en": "Event study: rate ratio per period around the start",
                             "fr": "Étude d'événement : rapport de taux par période autour du début"},
    "evaluate.chart.period": {"en": "Period", "fr": "Période"},
    "evaluate.chart.per_unit": {"en": "Events per unit", "fr": "Événements par unité"},
    "evaluate.chart.start": {"en": "Start", "fr": "Début"},
    "evaluate.chart.rel_period": {"en": "Periods since the start", "fr": "Périodes depuis le début"},
    "evaluate.chart.rate_ratio": {"en": "Rate ratio (1 = no change)", "fr": "Rapport de taux (1 = pas de changement)"},
    "evaluate.scale.rate_ratio": {"en": "rate ratio", "fr": "rapport de taux"},
    "evaluate.scale.count": {"en": "events", "fr": "événements"},
    "evaluate.change": {"en": "Change (after / before)", "fr": "Évolution (après / avant)"},
    "evaluate.change.legend": {"en": "Events after / before the start", "fr": "Événements après / avant le début"},
    "evaluate.change.fell_more": {"en": "Fell by more than 25 %", "fr": "Baisse de plus de 25 %"},
    "evaluate.change.fell": {"en": "Fell by 10 to 25 %", "fr": "Baisse de 10 à 25 %"},
    "evaluate.change.same": {"en": "Within 10 %", "fr": "À 10 % près"},
    "evaluate.change.rose": {"en": "Rose by 10 to 25 %", "fr": "Hausse de 10 à 25 %"},
    "evaluate.change.rose_more": {"en": "Rose by more than 25 %", "fr": "Hausse de plus de 25 %"},
    "evaluate.change.no_base": {"en": "No events before", "fr": "Aucun événement avant"},
    "evaluate.change.no_after": {"en": "No period after the start in the data", "fr": "Aucune période après le début dans les données"},
    "evaluate.change.excluded": {"en": "Not evaluated (A/D units, unmatched controls)",
                                 "fr": "Hors évaluation (IRIS A/D, témoins non appariés)"},
    "evaluate.change.note": {"en": "Events per period; dashed outline: treated area and ring",
                             "fr": "Événements par période ; contour tireté : zone traitée et anneau"},
    "evaluate.outline": {"en": "Treated area and ring", "fr": "Zone traitée et anneau"},
    "evaluate.role": {"en": "Role", "fr": "Rôle"},
    "evaluate.role.treated": {"en": "Treated area", "fr": "Zone traitée"},
    "evaluate.role.buffer": {"en": "Ring (buffer)", "fr": "Anneau (zone tampon)"},
    "evaluate.role.control": {"en": "Control", "fr": "Témoin"},
    "evaluate.role.excluded": {"en": "Not used", "fr": "Non utilisée"},
    "evaluate.before": {"en": "Events per period before", "fr": "Événements par période avant"},
    "evaluate.after": {"en": "Events per period after", "fr": "Événements par période après"},
    "col.estimate": {"en": "estimate", "fr": "estimation"},
    "col.n_periods": {"en": "periods (n)", "fr": "périodes (n)"},
    "col.scale": {"en": "scale", "fr": "échelle"},
    "present.layer.programme": {"en": "Programme evaluation", "fr": "Évaluation du programme"},
    "slide.programme.title": {"en": "Did the programme work?", "fr": "Le programme a-t-il marché ?"},
    "slide.programme.caption": {"en": "Events after / before the start per unit; treated area and ring outlined",
                                "fr": "Événements après / avant le début par unité ; zone traitée et anneau entourés"},

    # --- strings added for: demo (add this area's new strings right below this line)
    "eq.outcome_sentence": {"en": "Checks of group \u201c{low}\u201d found something in {r_low} of {n_low} checks (95 % interval {ci_low} %), against {r_high} of {n_high} for group \u201c{high}\u201d ({ci_high} %).",
                            "fr": "Les contrôles du groupe « {low} » ont trouvé quelque chose dans {r_low} des {n_low} contrôles (intervalle à 95 % {ci_low} %), contre {r_high} des {n_high} pour le groupe « {high} » ({ci_high} %)."},
    "eq.outcome_apart": {"en": "A lower hit rate suggests that group \u201c{low}\u201d is checked on weaker grounds (Becker's outcome test); differences in who carries something can also produce it (infra-marginality).",
                         "fr": "Un taux de succès plus bas suggère que le groupe « {low} » est contrôlé sur des motifs plus faibles (test de résultat de Becker) ; des différences dans qui porte quelque chose peuvent aussi le produire (infra-marginalité)."},
    "eq.outcome_overlap": {"en": "The intervals overlap: these checks show no clear difference in hit rate.",
                           "fr": "Les intervalles se chevauchent : ces contrôles ne montrent pas de différence nette de taux de succès."},

    # --- strings added for: rest14 (add this area's new strings right below this line)
    "finding.everyone_else": {"en": "everyone else ({columns})", "fr": "tous les autres résidents ({columns})"},
    "col.p_sim": {"en": "p (permutations)", "fr": "p (permutations)"},
    "hot.exclude_ad": {"en": "Leave out A/D units", "fr": "Écarter les IRIS A/D"},
    "eq.units_downloads": {"en": "The map's values per unit (checks, crime, rates, observed / expected, group share; "
                                 "small counts withheld):",
                           "fr": "Les valeurs de la carte par unité (contrôles, délinquance, taux, observé / attendu, "
                                 "part du groupe ; petits effectifs masqués) :"},
    "ioerr.too_many_lines": {"en": "'{name}' has {n} lines, over the limit of {limit} rows",
                             "fr": "« {name} » a {n} lignes, au-delà de la limite de {limit} lignes ; refusé. Gardez "
                                   "seulement votre territoire ou votre période et chargez ce fichier"},
    "ioerr.not_regular": {"en": "'{name}' is not a regular file",
                          "fr": "« {name} » n'est pas un fichier ordinaire ; donnez le chemin du fichier lui-même"},
    "ioerr.utf16": {"en": "the file is not valid UTF-16 text",
                    "fr": "le fichier commence par une marque d'ordre des octets UTF-16 mais n'est pas un texte "
                          "UTF-16 valide ; enregistrez-le en CSV UTF-8"},
    "ioerr.decode": {"en": "could not decode the file as UTF-8 or cp1252",
                     "fr": "le fichier n'a pu être décodé ni en UTF-8 ni en cp1252"},
    "ioerr.json_depth": {"en": "'{name}' nests JSON more than {limit} levels deep",
                         "fr": "« {name} » imbrique des tableaux et objets JSON sur plus de {limit} niveaux, "
                               "au-delà de la limite ; refusé (des contours GeoJSON en demandent moins de 10)"},
    "ioerr.geojson_truncated": {"en": "could not read '{name}' as GeoJSON",
                                "fr": "« {name} » n'a pas pu être lu comme GeoJSON : aucun membre « type » de "
                                      "premier niveau (le fichier est peut-être tronqué)"},
    "ioerr.gpkg_view": {"en": "'{name}' is not a valid GeoPackage",
                        "fr": "« {name} » n'est pas un GeoPackage valide : « {view} » est une vue SQL là où un "
                              "GeoPackage a une table ; refusé"},
    "ioerr.gpkg_invalid": {"en": "'{name}' is not a valid GeoPackage ({what})",
                           "fr": "« {name} » n'est pas un GeoPackage valide (cela ressemble à : {what}) ; refusé"},
    "ioerr.gpkg_no_layer": {"en": "'{name}' holds no vector layer",
                            "fr": "« {name} » ne contient aucune couche vectorielle (sa table gpkg_contents n'en "
                                  "liste aucune)"},
    "ioerr.gpkg_layer_missing": {"en": "layer '{layer}' not found in '{name}'; layers are: {layers}",
                                 "fr": "couche « {layer} » introuvable dans « {name} » ; les couches sont : {layers}"},
    "ioerr.gpkg_layer_view": {"en": "layer '{layer}' of '{name}' is a SQL view",
                              "fr": "la couche « {layer} » de « {name} » est une vue SQL, pas une table ; les vues "
                                    "ne sont pas lues (une vue exécute une requête, peut-être sans fin). Exportez la "
                                    "vue en table (QGIS : Exporter > Sauvegarder les entités sous…, ou ogr2ogr) et "
                                    "chargez ce fichier"},
    "ioerr.gpkg_layer_virtual": {"en": "layer '{layer}' of '{name}' is not a plain table",
                                 "fr": "la couche « {layer} » de « {name} » n'est pas une table ordinaire ; refusée. "
                                       "Exportez-la en table et chargez ce fichier"},
    "ioerr.gpkg_generated": {"en": "layer '{layer}' of '{name}' has computed (generated) columns",
                             "fr": "la couche « {layer} » de « {name} » a des colonnes calculées (générées) ; "
                                   "refusée. Exportez-la en table ordinaire et chargez ce fichier"},
    "ioerr.dbf_invalid": {"en": "'{name}': its .dbf is not a dBase table",
                          "fr": "« {name} » : son .dbf n'est pas une table dBase (cela ressemble à : {what}) ; refusé"},
    "ioerr.dbf_damaged": {"en": "could not read '{name}': its .dbf header is damaged",
                          "fr": "« {name} » n'a pas pu être lu : l'en-tête de son .dbf est endommagé"},
    "ioerr.7z_total": {"en": "the 7z archive expands to more than allowed",
                       "fr": "l'archive 7z se décompresse au-delà de ce qui est permis ; refusée"},
    "ioerr.crs_unknown": {"en": "crs {crs} is not understood",
                          "fr": "système de coordonnées {crs} non reconnu ; donnez-le sous la forme « EPSG:2154 » "
                                "ou « EPSG:4326 »"},
    "model.nb2": {"en": "negative binomial (NB2, started from Poisson, {method}), offset log(population)",
                  "fr": "binomiale négative (NB2, initialisée par Poisson, {method}), offset log(population)"},
    "model.poisson_robust": {"en": "Poisson, robust (HC0) errors, offset log(population)",
                             "fr": "Poisson, erreurs robustes (HC0), offset log(population)"},
    "model.clustered": {"en": ", errors clustered by {column}", "fr": ", erreurs groupées par {column}"},
    "model.few_clusters": {"en": "only {n} clusters: clustered errors are unreliable",
                           "fr": "seulement {n} groupes : les erreurs groupées ne sont pas fiables"},
    "value:model": {"en": "model", "fr": "modèle"},
    "value:diagnostic": {"en": "diagnostic", "fr": "diagnostic"},
    "value:units": {"en": "units", "fr": "unités"},
    "value:table": {"en": "table", "fr": "table"},
    "value:points": {"en": "points", "fr": "points"},

    # --- strings added for: ev16
    "evaluate.area_upload": {"en": "…or the units inside an outline (GeoJSON, GeoPackage, zipped shapefile)",
                             "fr": "…ou les unités dans un contour (GeoJSON, GeoPackage, shapefile zippé)"},
    "evaluate.area_help": {"en": "A polygon layer with any columns, e.g. a patrol zone drawn in QGIS. Units whose "
                                 "area is more than half inside become the treated units. One file: GeoJSON, "
                                 "GeoPackage, GeoParquet, or a shapefile zipped with its .dbf, .shx and .prj. Any "
                                 "CRS given in the file; a GeoJSON without one is longitude/latitude (WGS84).",
                           "fr": "Une couche de polygones, colonnes quelconques, par exemple une zone de patrouille "
                                 "dessinée dans QGIS. Les unités dont plus de la moitié de la surface est dedans "
                                 "deviennent les unités traitées. Un seul fichier : GeoJSON, GeoPackage, GeoParquet, "
                                 "ou un shapefile zippé avec ses .dbf, .shx et .prj. Tout système de coordonnées "
                                 "indiqué dans le fichier ; un GeoJSON sans système est en longitude/latitude (WGS84)."},
    "evaluate.area_taken": {"en": "{n} units whose area is mostly inside the uploaded outline '{name}' are now the "
                                  "treated units; the recipe keeps their codes.",
                            "fr": "{n} unités dont la surface est surtout dans le contour chargé « {name} » sont "
                                  "désormais les unités traitées ; la recette garde leurs codes."},
    "evaluate.area_none_outside": {"en": "No unit was taken: the outline '{name}' lies outside the units loaded "
                                         "(another city, or wrong coordinates). The treated units are unchanged.",
                                   "fr": "Aucune unité retenue : le contour « {name} » est en dehors des unités "
                                         "chargées (une autre ville, ou de mauvaises coordonnées). Les unités traitées "
                                         "ne changent pas."},
    "evaluate.area_none_small": {"en": "No unit was taken: the outline '{name}' covers no unit by more than half of "
                                       "its area (too small). The treated units are unchanged.",
                                 "fr": "Aucune unité retenue : le contour « {name} » ne couvre aucune unité sur plus "
                                       "de la moitié de sa surface (trop petit). Les unités traitées ne changent pas."},
    "ioerr.area_not_polygons": {"en": "'{name}' holds {kinds} geometries; the treated area must be polygons",
                                "fr": "« {name} » contient des géométries {kinds} ; la zone traitée doit être faite "
                                      "de polygones (des points ou des lignes n'ont pas de surface)"},
    "evaluate.starts_help": {"en": "Start date per treated unit: leave empty for the programme's start; set a date "
                                   "for a unit that started on another day (staggered starts), written YYYY-MM-DD "
                                   "(e.g. 2023-10-01): a cell in another form is refused and keeps its value.",
                             "fr": "Date de début par unité traitée : laissez vide pour le début du programme ; "
                                   "indiquez une date pour une unité qui a commencé un autre jour (débuts échelonnés), "
                                   "écrite AAAA-MM-JJ (par ex. 2023-10-01) : une cellule sous une autre forme est "
                                   "refusée et garde sa valeur."},
    "evaluate.start_units": {"en": "Units with this start: {units}.",
                             "fr": "Unités qui commencent à cette date : {units}."},
    "evaluate.starts_name": {"en": "Unit", "fr": "Unité"},
    "evaluate.starts_code": {"en": "Code", "fr": "Code"},
    "evaluate.starts_start": {"en": "Own start (empty: common start)", "fr": "Début propre (vide : début commun)"},
    "evaluate.start_before_data": {"en": "The start {start} is on or before the first event in the data ({first}): "
                                         "there is no before period to compare with. Choose a later start.",
                                   "fr": "Le début {start} tombe au plus tard le jour du premier événement des "
                                         "données ({first}) : il n'y a pas de période « avant » à comparer. Choisissez "
                                         "un début plus tardif."},
    "evaluate.start_after_data": {"en": "The start {start} is after the last event in the data ({last}): there is no "
                                        "after period to measure. Choose an earlier start.",
                                  "fr": "Le début {start} est postérieur au dernier événement des données ({last}) : "
                                        "il n'y a pas de période « après » à mesurer. Choisissez un début plus tôt."},
    "evaluate.staggered.before_after": {
        "en": "Staggered starts ({n} dates): before/after splits each treated and buffer unit at its own start, and "
              "the control units at the earliest start ({first}).",
        "fr": "Débuts échelonnés ({n} dates) : avant/après coupe chaque unité traitée ou tampon à son propre début, "
              "et les unités témoins au premier début ({first})."},
    "evaluate.staggered.wdd": {
        "en": "Staggered starts ({n} dates): the WDD counts each treated and buffer unit around its own start, over "
              "the longest window all of them have on both sides, and the control around the earliest start "
              "({first}); a WDD per start date is added to the estimates.",
        "fr": "Débuts échelonnés ({n} dates) : la WDD compte chaque unité traitée ou tampon autour de son propre "
              "début, sur la plus longue fenêtre que toutes ont des deux côtés, et la zone témoin autour du premier "
              "début ({first}) ; une WDD par date de début s'ajoute aux estimations."},
    "evaluate.staggered.did": {
        "en": "Staggered starts ({n} dates): each treated unit is treated from its own start; the single rate ratio "
              "averages them (see the assumptions).",
        "fr": "Débuts échelonnés ({n} dates) : chaque unité traitée l'est à partir de son propre début ; le rapport "
              "de taux unique en fait la moyenne (voir les hypothèses)."},
    "evaluate.staggered.event": {
        "en": "Staggered starts ({n} dates): the event study counts periods from each unit's own start.",
        "fr": "Débuts échelonnés ({n} dates) : l'étude d'événement compte les périodes depuis le début propre de "
              "chaque unité."},
    "evaluate.staggered.synth": {
        "en": "Staggered starts ({n} dates): synthetic control needs one start; it uses the earliest ({first}) for "
              "every treated unit. Use difference-in-differences or the event study to respect each unit's start.",
        "fr": "Débuts échelonnés ({n} dates) : le contrôle synthétique demande un seul début ; il prend le premier "
              "({first}) pour toutes les unités traitées. Utilisez la double différence ou l'étude d'événement pour "
              "respecter le début de chaque unité."},
    "evaluate.method_area": {"en": "{method}, area {area}", "fr": "{method}, zone {area}"},
    "data.contours_help": {"en": "One file: GeoPackage, GeoJSON, GeoParquet or a zipped shapefile; or a shapefile's "
                                 "parts selected together: .shp, .shx, .dbf and .prj (.cpg if there is one).",
                           "fr": "Un seul fichier : GeoPackage, GeoJSON, GeoParquet ou shapefile zippé ; ou les "
                                 "parties d'un shapefile choisies ensemble : .shp, .shx, .dbf et .prj (.cpg s'il "
                                 "existe)."},
    "programme.err.not_date": {"en": "{what} '{text}' is not a date; write it YYYY-MM-DD, e.g. 2023-07-01",
                               "fr": "{what} « {text} » n'est pas une date ; écrivez-la AAAA-MM-JJ, par exemple "
                                     "2023-07-01"},
    "programme.err.bad_entry": {"en": "treated unit '{entry}' is not CODE or CODE@YYYY-MM-DD",
                                "fr": "l'unité traitée « {entry} » n'est pas de la forme CODE ou CODE@AAAA-MM-JJ"},
    "programme.err.no_start": {"en": "treated unit {code} has no start date: give the programme's start (YYYY-MM-DD) "
                                     "or write {code}@YYYY-MM-DD",
                               "fr": "l'unité traitée {code} n'a pas de date de début : donnez le début du programme "
                                     "(AAAA-MM-JJ) ou écrivez {code}@AAAA-MM-JJ"},
    "programme.err.unknown": {"en": "{n} treated unit code(s) not among the units: {codes}; codes look like: {examples}",
                              "fr": "{n} code(s) d'unité traitée absent(s) des unités chargées : {codes} ; les codes "
                                    "ressemblent à : {examples}"},
    "programme.err.matching_pre": {"en": "matching on pre-period trend needs at least 2 periods before {start}; the "
                                         "data have {n}",
                                   "fr": "l'appariement sur la tendance avant le début demande au moins 2 périodes "
                                         "avant le {start} ; les données en ont {n}"},
    "programme.err.matching_none": {"en": "matching needs treated units and candidate control units",
                                    "fr": "l'appariement demande des unités traitées et des unités témoins candidates"},
    "programme.err.both_buffers": {"en": "choose a buffer in metres (buffer_m = {buffer_m}) or in rings of "
                                         "neighbouring units (buffer_rings = {buffer_rings}), not both",
                                   "fr": "choisissez un anneau en mètres (buffer_m = {buffer_m}) ou en couronnes "
                                         "d'unités voisines (buffer_rings = {buffer_rings}), pas les deux"},
    "programme.err.no_qpv": {"en": "treated_from = 'qpv' needs the priority-neighbourhood layer (none is loaded)",
                             "fr": "les quartiers prioritaires comme zone traitée demandent leur couche (aucune "
                                   "n'est chargée)"},
    "programme.err.empty_selection": {"en": "no unit is treated: the {source} selection is empty",
                                      "fr": "aucune unité traitée : la sélection « {source} » est vide"},
    "programme.err.no_treated": {"en": "no unit is treated: list treated unit codes (CODE or CODE@YYYY-MM-DD)",
                                 "fr": "aucune unité traitée : indiquez les codes des unités traitées (CODE ou "
                                       "CODE@AAAA-MM-JJ)"},
    "programme.err.layer": {"en": "point layer '{layer}' not loaded; layers are: {layers}",
                            "fr": "couche de points « {layer} » non chargée ; les couches sont : {layers}"},
    "programme.err.hot_column": {"en": "hot-spot column '{column}' not found; pick the Hotspots page's indicator "
                                       "first",
                                 "fr": "colonne des points chauds « {column} » introuvable ; choisissez d'abord "
                                       "l'indicateur de la page Points chauds"},
    "programme.err.panel_size": {"en": "{n_units} units x {n_periods} periods is {n} unit-periods, over the limit of "
                                       "{limit}; use quarters, fewer years or fewer units",
                                 "fr": "{n_units} unités × {n_periods} périodes font {n} unités-périodes, au-delà de "
                                       "la limite de {limit} ; passez aux trimestres, à moins d'années ou d'unités"},
    "evaluate.treated_dated": {"en": "{name}, from {date}", "fr": "{name}, à partir du {date}"},
    "programme.err.unit_date": {"en": "start of {code} '{text}' is not a date; write it YYYY-MM-DD, e.g. 2023-07-01",
                                "fr": "le début de {code} « {text} » n'est pas une date ; écrivez-la AAAA-MM-JJ, par "
                                      "exemple 2023-07-01"},

    # --- strings added for: ev16b
    "programme.pretrend.differ.before_after": {
        "en": "Warning: before the start, treated and control units already moved differently (joint test of the "
              "{k} pre-period event-study terms: {p}). Before/after compares the treated units with themselves and "
              "counts any trend they were already on as an effect.",
        "fr": "Attention : avant le début, unités traitées et témoins évoluaient déjà différemment (test joint des "
              "{k} termes d'avant le début : {p}). Avant/après compare les unités traitées à elles-mêmes et compte "
              "comme un effet toute tendance qu'elles suivaient déjà."},
    "programme.pretrend.differ.wdd": {
        "en": "Warning: before the start, treated and control units already moved differently (joint test of the "
              "{k} pre-period event-study terms: {p}). The weighted displacement difference may mistake that trend "
              "for an effect.",
        "fr": "Attention : avant le début, unités traitées et témoins évoluaient déjà différemment (test joint des "
              "{k} termes d'avant le début : {p}). La différence de déplacement pondérée peut prendre cette "
              "tendance pour un effet."},
    "programme.pretrend.differ.did": {
        "en": "Warning: before the start, treated and control units already moved differently (joint test of the "
              "{k} pre-period event-study terms: {p}). The difference-in-differences may mistake that trend for an "
              "effect.",
        "fr": "Attention : avant le début, unités traitées et témoins évoluaient déjà différemment (test joint des "
              "{k} termes d'avant le début : {p}). La double différence peut prendre cette tendance pour un effet."},
    "programme.pretrend.differ.event": {
        "en": "Warning: before the start, treated and control units already moved differently (joint test of the "
              "{k} pre-period event-study terms: {p}; see the terms before 0 on the event-study chart). The event "
              "study's average after the start may mistake that trend for an effect.",
        "fr": "Attention : avant le début, unités traitées et témoins évoluaient déjà différemment (test joint des "
              "{k} termes d'avant le début : {p} ; voir les termes avant 0 du graphique de l'étude d'événement). "
              "La moyenne de l'étude d'événement après le début peut prendre cette tendance pour un effet."},
    "programme.pretrend.differ.synth": {
        "en": "Warning: before the start, treated and control units already moved differently (joint test of the "
              "{k} pre-period event-study terms: {p}). Synthetic control weighs the donors to follow the treated "
              "area before the start; check on the chart that the synthetic line does, or it may mistake that "
              "trend for an effect.",
        "fr": "Attention : avant le début, unités traitées et témoins évoluaient déjà différemment (test joint des "
              "{k} termes d'avant le début : {p}). Le contrôle synthétique pondère les donneurs pour suivre la zone "
              "traitée avant le début ; vérifiez sur le graphique que la ligne synthétique la suit, sinon il peut "
              "prendre cette tendance pour un effet."},
    "programme.find.design_staggered": {
        "en": "Design: {treated} treated units, {buffer} in the buffer, {control} control units; starts from {first} "
              "to {last} ({n} dates).",
        "fr": "Plan : {treated} unités traitées, {buffer} dans la zone tampon, {control} unités témoins ; débuts du "
              "{first} au {last} ({n} dates)."},
    "evaluate.chart.withheld_line": {
        "en": "{withheld} of {total} {periods} of the line '{line}' withheld: fewer than {threshold} events.",
        "fr": "{withheld} {periods} sur {total} de la ligne « {line} » masqués : moins de {threshold} événements."},
    "evaluate.chart.withheld_synth": {
        "en": "The synthetic control is withheld in the same {withheld} {periods} as the treated area (it is fitted to "
              "it).",
        "fr": "Le contrôle synthétique est masqué sur les mêmes {withheld} {periods} que la zone traitée (il est "
              "ajusté sur elle)."},
    "evaluate.chart.levels": {
        "en": "Dashed: each line's mean before and after the start over all {periods}, withheld ones included.",
        "fr": "Tirets : moyenne de chaque ligne avant et après le début sur tous les {periods}, masqués compris."},
    "evaluate.chart.synth_index": {
        "en": "The synthetic control is indexed on the treated area's mean before the start.",
        "fr": "Le contrôle synthétique est indexé sur la moyenne de la zone traitée avant le début."},
    "evaluate.chart.starts": {
        "en": "Staggered starts: one dashed rule per start date ({dates}).",
        "fr": "Débuts échelonnés : un trait pointillé par date de début ({dates})."},
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


def label_text(label: str, lang: str = "en") -> str:
    """A label produced by the statistics (e.g. 'Hot spot 99%') in ``lang``; unknown labels unchanged.

    Examples
    --------
    >>> label_text("High-High", "fr")
    'Haut-Haut'
    """
    entry = STRINGS.get(f"label:{label}")
    return (entry.get(lang) or entry["en"]) if entry else label


#: French headers for the technical columns of the tables the pages show (exports keep the
#: English, machine-readable names).
COLUMN_LABELS_FR = {
    "unit_id": "code", "unit_name": "nom", "value": "valeur", "numerator": "numérateur",
    "denominator": "dénominateur", "withheld": "masqué", "left_out": "écarté", "statistic": "statistique",
    "label": "étiquette", "group": "groupe", "people": "personnes", "units": "unités", "exposure": "exposition",
    "ratio": "rapport", "ci_low": "IC bas", "ci_high": "IC haut", "flag": "signalé", "variant": "variante",
    "rate_ratio": "rapport de taux", "p_value": "p", "n_units": "unités", "method": "méthode",
    "hotspot_units": "unités en point chaud", "cluster": "agrégat", "incidents": "incidents",
    "area_m2": "surface (m²)", "density_per_km2": "densité (par km²)", "dominant_categories": "catégories dominantes",
    "first": "premier", "last": "dernier", "hot_units": "unités chaudes", "clusters": "agrégats",
    "clustered_share": "part agrégée", "type": "type", "population": "population", "area_share": "part de la surface",
    "hit_rate_1": "taux de capture 1", "pai_1": "PAI 1", "hit_rate_2": "taux de capture 2", "pai_2": "PAI 2",
    "rri": "RRI", "file": "fichier", "kind": "nature", "rows": "lignes", "details": "détails", "notes": "notes",
    "coef": "coefficient", "stops": "contrôles", "hits": "succès", "hit_rate": "taux de succès",
    "ratio_to_reference": "rapport à la référence", "layer": "couche", "title": "titre", "caption": "légende",
    "note": "note",
}


def column_labels(df, lang: str = "en"):
    """A copy of ``df`` with technical column headers in ``lang`` (for display only).

    Examples
    --------
    >>> import pandas as pd
    >>> list(column_labels(pd.DataFrame({"ratio": [1], "P21_POP": [2]}), "fr").columns)
    ['rapport', 'P21_POP']
    """
    if lang != "fr":
        return df
    return df.rename(columns={c: COLUMN_LABELS_FR.get(c) or (STRINGS.get(f"column:{c}") or {}).get("fr", c)
                              for c in df.columns})
