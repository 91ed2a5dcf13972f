"""The profile vocabularies: sub-sector codes by sector (ATECO sections, association types), with labels.

Shared by the interview, the spreadsheets and the reports.
"""

from __future__ import annotations

ATECO_SECTIONS: tuple[tuple[str, str, str], ...] = (
    ("A", "Agricoltura, silvicoltura e pesca", "Agriculture, forestry and fishing"),
    ("B", "Estrazione di minerali", "Mining and quarrying"),
    ("C", "Attività manifatturiere", "Manufacturing"),
    ("D", "Energia elettrica, gas, vapore", "Electricity, gas, steam"),
    ("E", "Acqua, reti fognarie, rifiuti", "Water supply, sewerage, waste"),
    ("F", "Costruzioni", "Construction"),
    ("G", "Commercio; riparazione di autoveicoli", "Wholesale and retail trade; repair of vehicles"),
    ("H", "Trasporto e magazzinaggio", "Transportation and storage"),
    ("I", "Alloggio e ristorazione", "Accommodation and food service"),
    ("J", "Informazione e comunicazione", "Information and communication"),
    ("K", "Attività finanziarie e assicurative", "Financial and insurance activities"),
    ("L", "Attività immobiliari", "Real estate activities"),
    ("M", "Attività professionali, scientifiche e tecniche", "Professional, scientific and technical"),
    ("N", "Noleggio, agenzie di viaggio, servizi alle imprese", "Administrative and support services"),
    ("O", "Amministrazione pubblica e difesa", "Public administration and defence"),
    ("P", "Istruzione", "Education"),
    ("Q", "Sanità e assistenza sociale", "Human health and social work"),
    ("R", "Attività artistiche, sportive, di intrattenimento", "Arts, entertainment and recreation"),
    ("S", "Altre attività di servizi", "Other service activities"),
    ("T", "Attività di famiglie come datori di lavoro", "Households as employers"),
    ("U", "Organizzazioni extraterritoriali", "Extraterritorial organisations"),
)

# One taxonomy for the associations questionnaire's respondents (issue 11): the Chamber of Commerce
# (Cremona-Mantova-Pavia) is a public body and a partner of the campaign, not a type of association.
ASSOCIATION_TYPES: tuple[tuple[str, str, str], ...] = (
    ("categoria", "Associazione di categoria o d'impresa", "Trade or business association"),
    ("ordine", "Ordine o collegio professionale", "Professional order or college"),
    ("consorzio", "Consorzio, distretto o rete di imprese", "Consortium, district or business network"),
    ("terzo_settore", "Ente del terzo settore (ODV, APS, ASD, Pro Loco…)", "Third-sector body (ODV, APS, ASD, Pro Loco…)"),
    ("altro", "Altro ente di rappresentanza", "Other representative body"),
)

SUBSECTORS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "impresa": tuple((code, f"{code} – {it}", f"{code} – {en}") for code, it, en in ATECO_SECTIONS),
    "associazione": ASSOCIATION_TYPES,
    "comune": (),
}
