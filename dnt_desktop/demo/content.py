"""The demo's word lists and rates: names, addresses, notes, side effects."""

from __future__ import annotations

import json

from dnt_desktop.paths import resources_dir

_NAMES = json.loads((resources_dir() / "demo" / "names.json").read_text(encoding="utf-8"))
FAMILY_NAMES: list[str] = _NAMES["family_names"]
GIVEN_NAMES_F: list[str] = _NAMES["given_names_female"]
GIVEN_NAMES_M: list[str] = _NAMES["given_names_male"]
STREETS = ("High Street", "Station Road", "Church Lane", "Park Avenue", "Mill Road", "Green Lane")
TOWNS = ("Northbridge", "Eastfield", "Westmoor", "Southport", "Kingsley", "Ashford", "Riverton")
MEDICAL_HISTORY = (
    "",
    "",
    "Hypertension, well controlled.",
    "Type 2 diabetes.",
    "Previous whiplash injury (2019).",
    "Migraine since adolescence.",
    "Osteoarthritis of both knees.",
    "Lumbar disc herniation L4/5, conservative management.",
    "Asthma, mild.",
    "Hypothyroidism.",
)
MEDICATIONS = (
    "",
    "",
    "",
    "Ibuprofen as needed",
    "Levothyroxine 50 µg",
    "Metformin 500 mg bd",
    "Amlodipine 5 mg",
    "Sumatriptan as needed",
    "Salbutamol inhaler",
)
ALLERGIES = ("", "", "", "Latex", "Penicillin", "Nickel")
SCREENING_DETAILS = {
    "needle_phobia": "Anxious about needles; go slowly",
    "metal_latex_allergy": "Nickel allergy",
    "implanted_device": "Pacemaker (2021)",
    "infection_skin_site": "Eczema on forearms",
}
"""What a present contraindication says (those without an entry say nothing)."""
SESSION_NOTES = (
    "",
    "Tolerated well.",
    "Reports improved range of motion.",
    "Tender trigger points reproduced familiar pain.",
)
STRETCHES = (
    "",
    "Upper trapezius stretch, 3 x 30 s each side",
    "Levator scapulae stretch, 3 x 30 s, twice daily",
    "Calf stretch against the wall, 3 x 30 s",
    "Piriformis stretch (figure-four), 3 x 30 s",
    "Wrist extensor stretch, 3 x 30 s",
    "Doorway pectoral stretch, 3 x 30 s",
)
ADJUNCTS = ("physiotherapy", "exercise", "massage", "medication")
# Brady et al. 2014 (J Man Manip Ther 22(3):134-140): adverse events per treatment.
SIDE_EFFECT_RATES = (
    ("bruising", 0.0755),
    ("bleeding", 0.0465),
    ("pain_during", 0.0301),
    ("soreness", 0.0219),
    ("aggravation", 0.0088),
    ("drowsiness", 0.0026),
    ("headache", 0.0014),
    ("nausea", 0.0013),
)
