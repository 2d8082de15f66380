"""Generate the body-chart geometry: ``resources/body_chart/front.json`` and ``back.json``.

This script is the single source of truth for those files: never edit the JSON by hand.
To change the body chart, edit this script and regenerate both files (from anywhere;
the output is deterministic and needs only the standard library)::

    python tools/make_body_chart.py              # rewrites resources/body_chart/
    python tools/make_body_chart.py --out DIR    # writes front.json and back.json into DIR

then commit the script and the regenerated files together.
``tests/tools/test_make_body_chart.py`` runs this script into a temporary folder and
fails unless its output equals the committed files byte for byte. The files are
written with ``\n`` line endings on every platform (``.gitattributes`` keeps them so in
a Windows checkout too).

The figure is designed for one half of the body in *head units* (the figure is 7.5
heads tall): ``lat`` is the distance from the midline towards the figure's side and
``y`` runs down from the top of the head. The half outline is built from Catmull-Rom
splines through control points, the regions are cut out of the half silhouette by
chords (so they tile it without overlap), and everything is mirrored onto both sides
and normalised into a box ``aspect`` wide and 1 high.

Side convention: on the front view the figure faces the viewer, so ``x < 0.5`` is the
patient's right; on the back view ``x < 0.5`` is the patient's left.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

Pt = tuple[float, float]
Poly = list[Pt]

OUT_DIR = Path(__file__).resolve().parents[1] / "resources" / "body_chart"
STEP = 0.035
"""Spline sampling step in head units."""
MARGIN = 0.015
"""Empty border around the figure, as a fraction of the box height."""
DECIMALS = 4

# ---------------------------------------------------------------------------------------
# Geometry helpers


def _add(a: Pt, b: Pt) -> Pt:
    return (a[0] + b[0], a[1] + b[1])


def _sub(a: Pt, b: Pt) -> Pt:
    return (a[0] - b[0], a[1] - b[1])


def _mul(a: Pt, k: float) -> Pt:
    return (a[0] * k, a[1] * k)


def _dist(a: Pt, b: Pt) -> float:
    return math.hypot(a[0] - b[0], a[1] - b[1])


def _lerp(a: Pt, b: Pt, t: float) -> Pt:
    return (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t)


def _unit(a: Pt) -> Pt:
    n = math.hypot(*a)
    return (a[0] / n, a[1] / n)


def _lateral_normal(direction: Pt) -> Pt:
    """Unit normal of a downward ``direction`` that points away from the midline."""
    dx, dy = _unit(direction)
    return (dy, -dx)


def _cr_point(p0: Pt, p1: Pt, p2: Pt, p3: Pt, u: float) -> Pt:
    """Centripetal Catmull-Rom point between ``p1`` and ``p2`` (Barry-Goldman form)."""

    def knot(t: float, a: Pt, b: Pt) -> float:
        return t + max(_dist(a, b), 1e-9) ** 0.5

    t0 = 0.0
    t1 = knot(t0, p0, p1)
    t2 = knot(t1, p1, p2)
    t3 = knot(t2, p2, p3)
    t = t1 + (t2 - t1) * u

    def mix(a: Pt, b: Pt, ta: float, tb: float) -> Pt:
        return _add(_mul(a, (tb - t) / (tb - ta)), _mul(b, (t - ta) / (tb - ta)))

    a1, a2, a3 = mix(p0, p1, t0, t1), mix(p1, p2, t1, t2), mix(p2, p3, t2, t3)
    b1, b2 = mix(a1, a2, t0, t2), mix(a2, a3, t1, t3)
    return mix(b1, b2, t1, t2)


def spline(ctrl: Sequence[Pt], step: float = STEP) -> Poly:
    """Sample a smooth open curve through ``ctrl``, from its first to its last point."""
    pts = list(ctrl)
    # Phantom end points continue the first and last segments straight on.
    ext = [_sub(_mul(pts[0], 2), pts[1]), *pts, _sub(_mul(pts[-1], 2), pts[-2])]
    out: Poly = []
    for i in range(len(pts) - 1):
        p0, p1, p2, p3 = ext[i], ext[i + 1], ext[i + 2], ext[i + 3]
        n = max(1, math.ceil(_dist(p1, p2) / step))
        out.extend(_cr_point(p0, p1, p2, p3, j / n) for j in range(n))
    out.append(pts[-1])
    return out


def ellipse(centre: Pt, rx: float, ry: float, n: int = 24) -> Poly:
    """Closed polyline (first point repeated) approximating an ellipse."""
    pts = [
        (
            centre[0] + rx * math.cos(2 * math.pi * i / n),
            centre[1] + ry * math.sin(2 * math.pi * i / n),
        )
        for i in range(n)
    ]
    return [*pts, pts[0]]


def chain(*runs: Sequence[Pt]) -> Poly:
    """Join smooth runs that meet at corners (each run starts where the previous ended)."""
    out: Poly = []
    for run in runs:
        pts = spline(run)
        out.extend(pts if not out else pts[1:])
    return out


def contains(poly: Sequence[Pt], p: Pt) -> bool:
    """Even-odd ray casting (the same rule as ``dnt_desktop.services.body_map``)."""
    x, y = p
    inside = False
    j = len(poly) - 1
    for i in range(len(poly)):
        xi, yi = poly[i]
        xj, yj = poly[j]
        if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


# ---------------------------------------------------------------------------------------
# The half figure (head units: lat >= 0 away from the midline, y down from the crown)

SHOULDER = (0.87, 1.62)
ELBOW = (1.05, 2.86)
WRIST = (1.36, 3.93)
HAND_ANGLE = math.atan2(WRIST[0] - ELBOW[0], WRIST[1] - ELBOW[1])
"""The hand hangs in line with the forearm."""
CROTCH = (0.0, 3.98)


def _along(a: Pt, b: Pt, t: float, offset: float) -> Pt:
    """Point at fraction ``t`` from ``a`` to ``b``, moved ``offset`` along the lateral normal."""
    return _add(_lerp(a, b, t), _mul(_lateral_normal(_sub(b, a)), offset))


def _hand_point(u: float, v: float) -> Pt:
    """Hand frame: ``u`` from the wrist towards the fingertips, ``v`` towards the thumb."""
    d = (math.sin(HAND_ANGLE), math.cos(HAND_ANGLE))
    n = (math.cos(HAND_ANGLE), -math.sin(HAND_ANGLE))
    return _add(WRIST, _add(_mul(d, u), _mul(n, v)))


# Outer (lateral) and inner (medial) offsets of the upper arm and forearm: (fraction, offset).
UPPER_ARM_OUT = [(0.3, 0.2), (0.55, 0.17), (0.8, 0.16), (1.0, 0.17)]
FOREARM_OUT = [(0.17, 0.2), (0.45, 0.175), (0.75, 0.145), (1.0, 0.13)]
UPPER_ARM_IN = [(1.0, 0.165), (0.75, 0.15), (0.5, 0.16)]
AXILLA_T, AXILLA_OFFSET = 0.27, 0.15
FOREARM_IN = [(1.0, 0.125), (0.7, 0.135), (0.4, 0.16), (0.15, 0.18)]

# Hand outline in the hand frame (u along the hand, v towards the thumb), as smooth runs
# that meet at corners: thumb, index, middle, ring, little finger and the ulnar edge.
HAND_RUNS: list[list[Pt]] = [
    [
        (0.0, 0.13),
        (0.1, 0.185),
        (0.22, 0.24),
        (0.33, 0.28),
        (0.43, 0.3),
        (0.482, 0.285),
        (0.48, 0.252),
        (0.43, 0.22),
        (0.37, 0.193),
        (0.345, 0.183),
    ],
    [
        (0.345, 0.183),
        (0.45, 0.174),
        (0.57, 0.17),
        (0.68, 0.166),
        (0.735, 0.147),
        (0.755, 0.125),
        (0.74, 0.098),
        (0.7, 0.085),
    ],
    [(0.7, 0.085), (0.77, 0.075), (0.795, 0.04), (0.778, 0.006), (0.735, -0.004)],
    [(0.735, -0.004), (0.765, -0.018), (0.775, -0.048), (0.755, -0.076), (0.69, -0.09)],
    [
        (0.69, -0.09),
        (0.7, -0.11),
        (0.698, -0.135),
        (0.672, -0.158),
        (0.6, -0.168),
        (0.5, -0.17),
        (0.3, -0.162),
        (0.12, -0.145),
        (0.0, -0.125),
    ],
]
FINGER_VALLEYS: list[Pt] = [(0.7, 0.085), (0.735, -0.004), (0.69, -0.09)]


def hand_outline() -> Poly:
    """Palm-forward hand with the thumb on the lateral side, as an open polyline."""
    return [_hand_point(u, v) for u, v in chain(*HAND_RUNS)]


FRONT_FOOT = [
    (0.47, 7.1),
    (0.5, 7.22),
    (0.56, 7.32),
    (0.6, 7.42),
    (0.58, 7.5),
    (0.49, 7.527),
    (0.38, 7.535),
    (0.29, 7.515),
    (0.245, 7.46),
    (0.238, 7.36),
    (0.245, 7.22),
    (0.252, 7.08),
]
BACK_FOOT = [
    (0.47, 7.1),
    (0.485, 7.25),
    (0.515, 7.36),
    (0.535, 7.43),
    (0.5, 7.475),
    (0.44, 7.505),
    (0.36, 7.522),
    (0.3, 7.505),
    (0.265, 7.45),
    (0.252, 7.33),
    (0.25, 7.2),
    (0.252, 7.08),
]


@dataclass
class HalfFigure:
    """The half outline plus the landmarks the regions and lung zones are cut from."""

    contour: Poly
    axilla_index: int
    torso_side: Poly


def half_figure(view: str) -> HalfFigure:
    """Outline from the crown (0, 0) down the side and back up the inner leg to the crotch."""
    head = [(0.0, 0.0), (0.17, 0.022), (0.29, 0.1), (0.352, 0.24), (0.366, 0.4)]
    ear = [(0.366, 0.4), (0.395, 0.42), (0.412, 0.5), (0.402, 0.6), (0.365, 0.675)]
    jaw = [(0.365, 0.675), (0.345, 0.78), (0.3, 0.875), (0.245, 0.93)]
    upper_out = [_along(SHOULDER, ELBOW, t, o) for t, o in UPPER_ARM_OUT]
    fore_out = [_along(ELBOW, WRIST, t, o) for t, o in FOREARM_OUT]
    neck_arm = [
        (0.245, 0.93),
        (0.24, 1.05),
        (0.255, 1.15),
        (0.31, 1.23),
        (0.45, 1.3),
        (0.62, 1.35),
        (0.76, 1.39),
        (0.87, 1.44),
        (0.96, 1.53),
        (1.015, 1.68),
        *upper_out,
        *fore_out,
    ]
    hand = hand_outline()
    fore_in = [_along(ELBOW, WRIST, t, -o) for t, o in FOREARM_IN[1:]]
    upper_in = [_along(SHOULDER, ELBOW, t, -o) for t, o in UPPER_ARM_IN]
    axilla = _along(SHOULDER, ELBOW, AXILLA_T, -AXILLA_OFFSET)
    inner_arm = [hand[-1], *fore_in, *upper_in, axilla]
    torso_leg = [
        axilla,
        (0.745, 2.1),
        (0.72, 2.4),
        (0.66, 2.72),
        (0.628, 2.9),
        (0.655, 3.12),
        (0.735, 3.4),
        (0.78, 3.7),
        (0.775, 4.0),
        (0.735, 4.45),
        (0.66, 4.92),
        (0.585, 5.22),
        (0.555, 5.45),
        (0.57, 5.7),
        (0.605, 5.92),
        (0.59, 6.2),
        (0.525, 6.6),
        (0.468, 6.95),
        (0.47, 7.1),
    ]
    foot = FRONT_FOOT if view == "front" else BACK_FOOT
    inner_leg = [
        (0.252, 7.08),
        (0.245, 6.9),
        (0.22, 6.6),
        (0.17, 6.25),
        (0.145, 5.95),
        (0.165, 5.68),
        (0.17, 5.42),
        (0.152, 5.1),
        (0.115, 4.7),
        (0.07, 4.32),
        (0.035, 4.1),
        CROTCH,
    ]
    # The hand is already sampled: splice it in between the wrist points.
    contour = chain(head, ear, jaw, neck_arm)
    contour += hand[1:]
    contour += spline(inner_arm)[1:]
    axilla_index = len(contour) - 1
    torso = spline(torso_leg)
    contour += torso[1:]
    contour += spline(foot)[1:]
    contour += spline(inner_leg)[1:]
    torso_side = [p for p in torso if p[1] <= 3.0]
    return HalfFigure(contour, axilla_index, torso_side)


def torso_edge(fig: HalfFigure, y: float) -> float:
    """Lateral position of the torso's side at height ``y`` (between axilla and waist)."""
    pts = fig.torso_side
    for a, b in itertools.pairwise(pts):
        if a[1] <= y <= b[1]:
            return _lerp(a, b, (y - a[1]) / (b[1] - a[1]))[0]
    raise ValueError(f"y={y} is outside the torso side")


def axilla_gap(fig: HalfFigure, k: int = 4) -> Pt:
    """A point just below the armpit, between the arm and the torso (outside the figure)."""
    c = fig.contour
    return _lerp(c[fig.axilla_index - k], c[fig.axilla_index + k], 0.5)


# ---------------------------------------------------------------------------------------
# Cutting the half silhouette into regions


def _segment_hit(p: Pt, q: Pt, a: Pt, b: Pt) -> tuple[float, float] | None:
    """Parameters (t on p-q, s on a-b) of the crossing, s in [0, 1), or None."""
    r = _sub(q, p)
    e = _sub(b, a)
    den = r[0] * e[1] - r[1] * e[0]
    if abs(den) < 1e-15:
        return None
    w = _sub(a, p)
    t = (w[0] * e[1] - w[1] * e[0]) / den
    s = (w[0] * r[1] - w[1] * r[0]) / den
    if 0.0 <= t <= 1.0 and 0.0 <= s < 1.0:
        return t, s
    return None


def _arc_midpoint(pts: Sequence[Pt]) -> Pt:
    total = sum(_dist(a, b) for a, b in itertools.pairwise(pts))
    acc = 0.0
    for a, b in itertools.pairwise(pts):
        d = _dist(a, b)
        if acc + d >= total / 2:
            return _lerp(a, b, (total / 2 - acc) / d)
        acc += d
    return pts[-1]


def cut(pieces: list[Poly], chord: Sequence[Pt], name: str) -> None:
    """Split the piece holding the middle of ``chord`` along it (ends must lie outside)."""
    mid = _arc_midpoint(chord)
    owners = [i for i, piece in enumerate(pieces) if contains(piece, mid)]
    if len(owners) != 1:
        raise ValueError(f"chord {name}: its middle is in {len(owners)} pieces")
    piece = pieces[owners[0]]
    hits: list[tuple[float, int, float, Pt]] = []
    for k in range(len(chord) - 1):
        for i in range(len(piece)):
            a, b = piece[i], piece[(i + 1) % len(piece)]
            hit = _segment_hit(chord[k], chord[k + 1], a, b)
            if hit:
                t, s = hit
                hits.append((k + t, i, s, _lerp(chord[k], chord[k + 1], t)))
    if len(hits) != 2:
        raise ValueError(f"chord {name}: crosses its piece {len(hits)} times, expected 2")
    hits.sort()
    (c1, e1, s1, p1), (c2, e2, s2, p2) = hits
    inner = [chord[k] for k in range(math.floor(c1) + 1, math.floor(c2) + 1)]
    path = [p1, *inner, p2]
    # Insert the crossing points into the piece and into any neighbour sharing that edge.
    for edge, _s, point in sorted([(e1, s1, p1), (e2, s2, p2)], key=lambda h: (-h[0], -h[1])):
        a, b = piece[edge], piece[(edge + 1) % len(piece)]
        for other in pieces:
            if other is piece:
                continue
            for j in range(len(other)):
                if other[j] == b and other[(j + 1) % len(other)] == a:
                    other.insert(j + 1, point)
                    break
        piece.insert(edge + 1, point)
    ia, ib = piece.index(p1), piece.index(p2)
    n = len(piece)
    side_a = [piece[(ia + i) % n] for i in range((ib - ia) % n + 1)]
    side_b = [piece[(ib + i) % n] for i in range((ia - ib) % n + 1)]
    first = side_a + list(reversed(path[1:-1]))
    second = side_b + path[1:-1]
    pieces[owners[0]] = first
    pieces.append(second)


@dataclass(frozen=True)
class RegionSpec:
    """A region of the half figure: code stem, label stem, a seed point and its muscles."""

    stem: str
    label: str
    seed: Pt
    muscles: tuple[str, ...]


FRONT_REGIONS = [
    RegionSpec("head_face", "face and temple", (0.2, 0.45), ("temporalis", "masseter")),
    RegionSpec("neck_anterior", "front of neck", (0.12, 1.2), ("sternocleidomastoid", "scalenes")),
    RegionSpec(
        "shoulder_top",
        "top of shoulder (upper trapezius)",
        (0.5, 1.38),
        ("upper_trapezius", "scalenes", "sternocleidomastoid"),
    ),
    RegionSpec(
        "chest",
        "chest",
        (0.4, 1.9),
        (
            "pectoralis_major",
            "pectoralis_minor",
            "subclavius",
            "intercostals",
            "serratus_anterior",
            "subscapularis",
        ),
    ),
    RegionSpec(
        "abdomen", "abdomen", (0.3, 2.9), ("rectus_abdominis", "external_oblique", "iliopsoas")
    ),
    RegionSpec(
        "hip_groin",
        "hip and groin",
        (0.4, 3.6),
        (
            "iliopsoas",
            "tensor_fasciae_latae",
            "gluteus_medius",
            "gluteus_minimus",
            "sartorius",
            "adductor_longus",
            "rectus_femoris",
            # The lower abdomen above the inguinal ligament lies in this region too.
            "rectus_abdominis",
        ),
    ),
    RegionSpec(
        "thigh_anterior",
        "front of thigh",
        (0.4, 4.5),
        (
            "rectus_femoris",
            "vastus_medialis",
            "vastus_lateralis",
            "vastus_intermedius",
            "sartorius",
            "gracilis",
            "adductor_longus",
            "adductor_magnus",
            "tensor_fasciae_latae",
        ),
    ),
    RegionSpec(
        "knee_anterior",
        "front of knee",
        (0.36, 5.4),
        ("vastus_medialis", "vastus_lateralis", "sartorius", "gracilis"),
    ),
    RegionSpec(
        "leg_anterior",
        "shin and outer leg",
        (0.38, 6.3),
        ("tibialis_anterior", "fibularis_longus", "fibularis_brevis"),
    ),
    RegionSpec(
        "foot", "foot and ankle", (0.4, 7.3), ("abductor_hallucis", "abductor_digiti_minimi")
    ),
    RegionSpec(
        "upper_arm_anterior",
        "shoulder and front of upper arm",
        (0.95, 2.2),
        ("deltoid", "biceps_brachii", "brachialis"),
    ),
    RegionSpec(
        "forearm_anterior",
        "elbow and front of forearm",
        (1.2, 3.4),
        (
            "brachioradialis",
            "extensor_carpi_radialis_longus",
            "extensor_carpi_radialis_brevis",
            "pronator_teres",
            "flexor_carpi_radialis",
            "flexor_digitorum_superficialis",
            "brachialis",
        ),
    ),
    RegionSpec(
        "hand_palm", "palm and thumb", (1.5, 4.3), ("opponens_pollicis", "adductor_pollicis")
    ),
]

BACK_REGIONS = [
    RegionSpec(
        "head_posterior",
        "back of head",
        (0.2, 0.45),
        ("suboccipitals", "semispinalis_capitis", "splenius_capitis"),
    ),
    RegionSpec(
        "neck_posterior",
        "back of neck",
        (0.12, 1.05),
        (
            "upper_trapezius",
            "levator_scapulae",
            "splenius_capitis",
            "splenius_cervicis",
            "semispinalis_capitis",
            "suboccipitals",
            "cervical_multifidus",
        ),
    ),
    RegionSpec(
        "shoulder_top",
        "top of shoulder (upper trapezius)",
        (0.45, 1.4),
        ("upper_trapezius", "levator_scapulae", "supraspinatus"),
    ),
    RegionSpec(
        "scapular",
        "shoulder blade",
        (0.5, 1.85),
        (
            "infraspinatus",
            "supraspinatus",
            "teres_minor",
            "teres_major",
            "subscapularis",
            "latissimus_dorsi",
            "serratus_anterior",
        ),
    ),
    RegionSpec(
        "upper_back",
        "upper back (between the shoulder blades)",
        (0.12, 1.85),
        (
            "rhomboid_major",
            "rhomboid_minor",
            "middle_trapezius",
            "lower_trapezius",
            "thoracic_paraspinals",
            "serratus_posterior_superior",
            "intercostals",
        ),
    ),
    RegionSpec(
        "mid_back",
        "mid back (lower ribs)",
        (0.35, 2.45),
        (
            "lower_trapezius",
            "latissimus_dorsi",
            "thoracic_paraspinals",
            "intercostals",
            "serratus_anterior",
        ),
    ),
    RegionSpec(
        "lower_back",
        "lower back",
        (0.3, 2.95),
        ("lumbar_multifidus", "lumbar_erector_spinae", "quadratus_lumborum", "latissimus_dorsi"),
    ),
    RegionSpec(
        "gluteal",
        "buttock and hip",
        (0.4, 3.6),
        (
            "gluteus_maximus",
            "gluteus_medius",
            "gluteus_minimus",
            "piriformis",
            "obturator_internus",
        ),
    ),
    RegionSpec(
        "thigh_posterior",
        "back of thigh",
        (0.4, 4.5),
        (
            "biceps_femoris",
            "semitendinosus",
            "semimembranosus",
            "adductor_magnus",
            "vastus_lateralis",
        ),
    ),
    RegionSpec(
        "knee_posterior",
        "back of knee",
        (0.36, 5.4),
        (
            "popliteus",
            "biceps_femoris",
            "semimembranosus",
            "semitendinosus",
            "gastrocnemius_medial",
            "gastrocnemius_lateral",
        ),
    ),
    RegionSpec(
        "calf",
        "calf",
        (0.38, 6.3),
        (
            "gastrocnemius_medial",
            "gastrocnemius_lateral",
            "soleus",
            "tibialis_posterior",
            "flexor_digitorum_longus",
            "fibularis_longus",
            "fibularis_brevis",
        ),
    ),
    RegionSpec(
        "heel",
        "heel and sole",
        (0.38, 7.3),
        (
            "abductor_hallucis",
            "flexor_digitorum_brevis",
            "quadratus_plantae",
            "abductor_digiti_minimi",
        ),
    ),
    RegionSpec(
        "upper_arm_posterior",
        "shoulder and back of upper arm",
        (0.95, 2.2),
        ("deltoid", "triceps_brachii"),
    ),
    RegionSpec(
        "forearm_posterior",
        "elbow and back of forearm",
        (1.2, 3.4),
        (
            "brachioradialis",
            "extensor_carpi_radialis_longus",
            "extensor_carpi_radialis_brevis",
            "extensor_digitorum",
            "supinator",
        ),
    ),
    RegionSpec(
        "hand_dorsum",
        "back of hand",
        (1.5, 4.3),
        ("first_dorsal_interosseous", "adductor_pollicis"),
    ),
]


def _across(centre: Pt, direction: Pt, half: float) -> list[Pt]:
    """A straight chord through ``centre`` perpendicular to ``direction``."""
    n = _lateral_normal(direction)
    return [_add(centre, _mul(n, half)), _sub(centre, _mul(n, half))]


def limb_chords(fig: HalfFigure) -> list[tuple[str, list[Pt]]]:
    """Chords shared by both views: arm off the trunk, elbow, wrist, knee, ankle."""
    gap = axilla_gap(fig)
    elbow_dir = _add(_unit(_sub(ELBOW, SHOULDER)), _unit(_sub(WRIST, ELBOW)))
    above_elbow = _lerp(SHOULDER, ELBOW, 0.9)
    return [
        ("arm", [(0.84, 1.28), (0.8, 1.6), (0.785, 1.82), gap]),
        ("elbow", _across(above_elbow, elbow_dir, 0.3)),
        ("wrist", _across(_lerp(ELBOW, WRIST, 0.97), _sub(WRIST, ELBOW), 0.35)),
        ("above_knee", [(0.0, 5.1), (0.8, 5.1)]),
        ("below_knee", [(0.0, 5.72), (0.8, 5.72)]),
        ("ankle", [(0.1, 6.95), (0.8, 6.95)]),
    ]


def front_chords(fig: HalfFigure) -> list[tuple[str, list[Pt]]]:
    """Chords of the front view, applied in order."""
    return [
        *limb_chords(fig),
        (
            "jaw",
            [(-0.05, 1.0), (0.02, 0.998), (0.14, 0.975), (0.26, 0.9), (0.33, 0.8), (0.45, 0.74)],
        ),
        (
            "clavicle",
            [(-0.05, 1.45), (0.07, 1.44), (0.2, 1.47), (0.4, 1.48), (0.6, 1.44), (0.9, 1.36)],
        ),
        ("neck_base", [(0.3, 1.12), (0.25, 1.3), (0.2, 1.52)]),
        ("ribs", [(-0.05, 2.44), (0.3, 2.5), (0.6, 2.6), (0.9, 2.66)]),
        ("iliac", [(-0.05, 3.3), (0.4, 3.25), (0.9, 3.18)]),
        ("groin", [(-0.05, 3.93), (0.3, 3.85), (0.6, 3.74), (0.95, 3.62)]),
    ]


def back_chords(fig: HalfFigure) -> list[tuple[str, list[Pt]]]:
    """Chords of the back view, applied in order."""
    return [
        *limb_chords(fig),
        ("occiput", [(-0.05, 0.86), (0.15, 0.85), (0.3, 0.84), (0.45, 0.84)]),
        ("neck_base", [(0.3, 1.1), (0.2, 1.2), (0.08, 1.24), (-0.05, 1.25)]),
        ("scapular_spine", [(-0.05, 1.58), (0.27, 1.6), (0.55, 1.54), (0.9, 1.42)]),
        ("inferior_angle", [(-0.05, 2.22), (0.4, 2.2), (0.9, 2.2)]),
        ("scapula_medial", [(0.27, 1.5), (0.28, 1.8), (0.32, 2.1), (0.34, 2.3)]),
        ("rib_12", [(-0.05, 2.72), (0.4, 2.7), (0.9, 2.66)]),
        (
            "iliac_crest",
            [(-0.05, 3.32), (0.16, 3.3), (0.32, 3.15), (0.5, 3.08), (0.7, 3.1), (0.9, 3.16)],
        ),
        ("gluteal_fold", [(-0.02, 4.07), (0.25, 4.07), (0.5, 4.01), (0.7, 3.92), (0.95, 3.8)]),
    ]


def cut_regions(fig: HalfFigure, view: str) -> list[tuple[RegionSpec, Poly]]:
    """Cut the half silhouette into the view's regions; each piece must hold one seed."""
    half = [*fig.contour]  # closed implicitly along the midline from the crotch to the crown
    pieces: list[Poly] = [half]
    chords = front_chords(fig) if view == "front" else back_chords(fig)
    for name, chord in chords:
        cut(pieces, chord, name)
    specs = FRONT_REGIONS if view == "front" else BACK_REGIONS
    found: list[tuple[RegionSpec, Poly]] = []
    used: set[int] = set()
    for spec in specs:
        owners = [i for i, piece in enumerate(pieces) if contains(piece, spec.seed)]
        if len(owners) != 1 or owners[0] in used:
            raise ValueError(f"{view} region {spec.stem}: seed is in pieces {owners}")
        used.add(owners[0])
        found.append((spec, pieces[owners[0]]))
    if len(used) != len(pieces):
        leftovers = [_mul(_add(min(p), max(p)), 0.5) for i, p in enumerate(pieces) if i not in used]
        raise ValueError(f"{view}: pieces without a region near {leftovers}")
    return found


# ---------------------------------------------------------------------------------------
# Muscle areas: each region cut into the surface areas of its muscles
#
# A region is cut into muscle areas exactly as the half figure is cut into regions: chords
# applied in order, each splitting the piece that holds its middle, and one seed per
# area (the area's centre in the JSON, where a click surely lands on that muscle). The
# areas tile their region. Muscles of a region without an area lie under others on a
# flat chart (pectoralis minor, subclavius, subscapularis, gluteus minimus, piriformis,
# tibialis posterior, ...) or are better reached from the other view: a click suggests
# them after the muscle under the pointer. Where a region also holds skin over no
# charted muscle (the face, the patella, the fingers), it belongs to the nearest area.
# Sources: the clinical reference's muscles by region, placed by surface anatomy.


@dataclass(frozen=True)
class AreaSpec:
    """The surface area of one muscle in a region: its muscle code and a seed point."""

    muscle: str
    seed: Pt


@dataclass(frozen=True)
class AreaLayout:
    """How a region is cut into muscle areas: chords (applied in order) and the areas."""

    chords: tuple[tuple[str, tuple[Pt, ...]], ...]
    areas: tuple[AreaSpec, ...]


SEED_MARGIN = 0.02
"""A seed lies at least this far (head units) inside its area, so a click there is on it."""


def _arm(t: float, offset: float) -> Pt:
    """Upper-arm frame: ``t`` from the shoulder to the elbow, ``offset`` lateral."""
    return _along(SHOULDER, ELBOW, t, offset)


def _forearm(t: float, offset: float) -> Pt:
    """Forearm frame: ``t`` from the elbow to the wrist, ``offset`` lateral (thumb side)."""
    return _along(ELBOW, WRIST, t, offset)


def _layout(chords: Sequence[tuple[str, Sequence[Pt]]], *areas: tuple[str, Pt]) -> AreaLayout:
    return AreaLayout(
        tuple((name, tuple(chord)) for name, chord in chords),
        tuple(AreaSpec(muscle, seed) for muscle, seed in areas),
    )


def front_areas() -> dict[str, AreaLayout]:
    """Muscle areas of the front view's regions, by region stem."""
    return {
        "head_face": _layout(
            [("zygomatic_arch", [(-0.05, 0.56), (0.2, 0.57), (0.45, 0.55)])],
            ("temporalis", (0.28, 0.36)),
            ("masseter", (0.28, 0.72)),
        ),
        "neck_anterior": _layout([], ("sternocleidomastoid", (0.16, 1.22))),
        "shoulder_top": _layout(
            # The trapezius' front border, from the neck to the clavicle's outer third;
            # the posterior triangle (scalenes) lies between it and the SCM.
            [("trapezius_border", [(0.36, 1.2), (0.44, 1.4), (0.5, 1.55)])],
            ("upper_trapezius", (0.6, 1.395)),
            ("scalenes", (0.33, 1.38)),
        ),
        "chest": _layout(
            [
                (
                    "pectoralis_major_lower_border",
                    [
                        (-0.05, 2.13),
                        (0.04, 2.12),
                        (0.25, 2.2),
                        (0.48, 2.17),
                        (0.66, 2.02),
                        (0.76, 1.93),
                        (0.86, 1.9),
                    ],
                ),
                ("anterior_axillary_line", [(0.47, 2.1), (0.49, 2.4), (0.5, 2.7)]),
            ],
            ("pectoralis_major", (0.4, 1.8)),
            ("intercostals", (0.22, 2.36)),
            ("serratus_anterior", (0.6, 2.33)),
        ),
        "abdomen": _layout(
            [("linea_semilunaris", [(0.38, 2.42), (0.33, 2.8), (0.29, 3.1), (0.27, 3.4)])],
            ("rectus_abdominis", (0.15, 2.85)),
            ("external_oblique", (0.48, 2.9)),
        ),
        "hip_groin": _layout(
            [
                ("iliopsoas_medial", [(0.2, 3.2), (0.24, 3.5), (0.27, 3.75), (0.29, 3.95)]),
                ("inguinal_ligament", [(-0.05, 3.88), (0.06, 3.84), (0.2, 3.73), (0.32, 3.63)]),
                ("iliopsoas_lateral", [(0.62, 3.15), (0.56, 3.42), (0.45, 3.62), (0.41, 3.9)]),
                ("tensor_front", [(0.68, 3.15), (0.64, 3.35), (0.6, 3.55), (0.57, 3.85)]),
            ],
            ("rectus_abdominis", (0.1, 3.5)),
            ("adductor_longus", (0.17, 3.82)),
            ("iliopsoas", (0.4, 3.45)),
            ("rectus_femoris", (0.515, 3.66)),
            ("tensor_fasciae_latae", (0.68, 3.53)),
        ),
        "thigh_anterior": _layout(
            [
                (
                    "sartorius_lateral",
                    [(0.5, 3.6), (0.47, 3.9), (0.4, 4.3), (0.3, 4.7), (0.24, 5.2)],
                ),
                (
                    "sartorius_medial",
                    [(0.4, 3.6), (0.37, 3.9), (0.3, 4.25), (0.2, 4.65), (0.15, 5.2)],
                ),
                ("gracilis", [(0.12, 3.85), (0.17, 4.1), (0.2, 4.5), (0.22, 4.75), (0.25, 4.9)]),
                (
                    "rectus_femoris_lateral",
                    [(0.62, 3.6), (0.6, 4.0), (0.56, 4.5), (0.5, 4.9), (0.47, 5.2)],
                ),
                ("tensor_lower", [(0.58, 4.05), (0.7, 4.15), (0.85, 4.2)]),
                ("vastus_medialis", [(0.28, 4.5), (0.38, 4.6), (0.44, 4.9), (0.44, 5.2)]),
            ],
            ("tensor_fasciae_latae", (0.69, 3.9)),
            ("vastus_lateralis", (0.645, 4.5)),
            ("rectus_femoris", (0.49, 4.3)),
            ("vastus_medialis", (0.355, 4.9)),
            ("sartorius", (0.345, 4.3)),
            ("gracilis", (0.135, 4.4)),
            ("adductor_longus", (0.26, 4.02)),
        ),
        "knee_anterior": _layout(
            [
                ("patella_midline", [(0.37, 5.0), (0.37, 5.3), (0.38, 5.8)]),
                ("pes_anserinus", [(0.1, 5.42), (0.25, 5.44), (0.42, 5.46)]),
            ],
            ("vastus_medialis", (0.26, 5.25)),
            ("sartorius", (0.25, 5.6)),
            ("vastus_lateralis", (0.48, 5.35)),
        ),
        "leg_anterior": _layout(
            [
                ("fibularis_front", [(0.48, 5.6), (0.47, 6.2), (0.42, 6.6), (0.38, 7.05)]),
                ("fibularis_brevis_upper", [(0.4, 6.45), (0.6, 6.5)]),
            ],
            ("tibialis_anterior", (0.33, 6.2)),
            ("fibularis_longus", (0.535, 6.1)),
            ("fibularis_brevis", (0.46, 6.72)),
        ),
        "foot": _layout(
            [("foot_axis", [(0.38, 6.9), (0.38, 7.2), (0.4, 7.6)])],
            ("abductor_hallucis", (0.3, 7.25)),
            ("abductor_digiti_minimi", (0.48, 7.3)),
        ),
        "upper_arm_anterior": _layout(
            [
                (
                    "deltoid_lower_border",
                    [_arm(0.15, -0.3), _arm(0.25, -0.05), _arm(0.4, 0.1), _arm(0.5, 0.35)],
                ),
                (
                    "brachialis",
                    [_arm(0.3, 0.09), _arm(0.55, 0.085), _arm(0.8, 0.08), _arm(1.0, 0.08)],
                ),
            ],
            ("deltoid", _arm(0.1, 0.05)),
            ("biceps_brachii", _arm(0.65, -0.03)),
            ("brachialis", _arm(0.72, 0.125)),
        ),
        "forearm_anterior": _layout(
            [
                (
                    "brachioradialis_medial",
                    [
                        _forearm(-0.35, 0.05),
                        _forearm(0.1, 0.06),
                        _forearm(0.4, 0.08),
                        _forearm(0.65, 0.1),
                        _forearm(0.85, 0.3),
                    ],
                ),
                (
                    "cubital_fossa_lower",
                    [
                        _forearm(-0.2, -0.35),
                        _forearm(0.05, -0.08),
                        _forearm(0.08, 0.05),
                        _forearm(0.1, 0.2),
                    ],
                ),
                (
                    "pronator_teres_lower",
                    [
                        _forearm(0.2, -0.35),
                        _forearm(0.3, -0.1),
                        _forearm(0.42, 0.04),
                        _forearm(0.45, 0.2),
                    ],
                ),
                (
                    "flexor_carpi_radialis_medial",
                    [
                        _forearm(0.3, 0.0),
                        _forearm(0.6, -0.02),
                        _forearm(0.85, -0.01),
                        _forearm(1.1, 0.0),
                    ],
                ),
            ],
            ("brachioradialis", _forearm(0.3, 0.14)),
            ("brachialis", _forearm(-0.03, 0.0)),
            ("pronator_teres", _forearm(0.2, -0.06)),
            ("flexor_carpi_radialis", _forearm(0.65, 0.04)),
            ("flexor_digitorum_superficialis", _forearm(0.65, -0.08)),
        ),
        "hand_palm": _layout(
            [
                (
                    "thenar_crease",
                    [
                        _hand_point(-0.1, 0.02),
                        _hand_point(0.1, 0.04),
                        _hand_point(0.25, 0.1),
                        _hand_point(0.345, 0.17),
                        _hand_point(0.4, 0.19),
                    ],
                )
            ],
            ("opponens_pollicis", _hand_point(0.2, 0.17)),
            ("adductor_pollicis", _hand_point(0.3, 0.05)),
        ),
    }


def back_areas() -> dict[str, AreaLayout]:
    """Muscle areas of the back view's regions, by region stem."""
    return {
        "head_posterior": _layout(
            [("semispinalis_lateral", [(0.15, -0.05), (0.15, 0.5), (0.16, 0.9)])],
            ("semispinalis_capitis", (0.07, 0.65)),
            ("splenius_capitis", (0.27, 0.65)),
        ),
        "neck_posterior": _layout(
            [
                ("suboccipital_lower", [(-0.05, 0.96), (0.15, 0.95), (0.35, 0.93)]),
                ("semispinalis_lateral", [(0.09, 0.9), (0.09, 1.1), (0.09, 1.3)]),
                ("levator_upper", [(0.05, 1.08), (0.2, 1.06), (0.35, 1.03)]),
            ],
            ("suboccipitals", (0.14, 0.9)),
            ("semispinalis_capitis", (0.045, 1.1)),
            ("splenius_capitis", (0.17, 1.01)),
            ("levator_scapulae", (0.17, 1.14)),
        ),
        "shoulder_top": _layout(
            [
                (
                    "supraspinatus_upper",
                    [(0.3, 1.7), (0.3, 1.5), (0.45, 1.44), (0.62, 1.42), (0.72, 1.5)],
                ),
                # Its insertion on the superior angle of the scapula, under the trapezius.
                (
                    "levator_scapulae",
                    [
                        (0.19, 1.65),
                        (0.18, 1.5),
                        (0.2, 1.41),
                        (0.26, 1.37),
                        (0.31, 1.42),
                        (0.33, 1.52),
                    ],
                ),
            ],
            ("upper_trapezius", (0.45, 1.35)),
            ("supraspinatus", (0.5, 1.49)),
            ("levator_scapulae", (0.25, 1.48)),
        ),
        "scapular": _layout(
            [
                (
                    "lateral_border",
                    [
                        (0.34, 2.3),
                        (0.37, 2.17),
                        (0.44, 2.07),
                        (0.58, 1.82),
                        (0.66, 1.515),
                        (0.7, 1.4),
                    ],
                ),
                ("teres_minor_lower", [(0.55, 1.78), (0.7, 1.83), (0.9, 1.88)]),
                (
                    "teres_major_lower",
                    [(0.4, 2.3), (0.42, 2.12), (0.55, 2.02), (0.7, 1.96), (0.82, 1.97)],
                ),
            ],
            ("infraspinatus", (0.45, 1.8)),
            ("teres_minor", (0.7, 1.68)),
            ("teres_major", (0.64, 1.9)),
            ("latissimus_dorsi", (0.6, 2.11)),
        ),
        "upper_back": _layout(
            [
                ("paraspinal_lateral", [(0.09, 1.5), (0.09, 2.0), (0.09, 2.3)]),
                # Middle trapezius over rhomboid minor (T1-T3), rhomboid major below it.
                ("middle_trapezius_lower", [(0.05, 1.76), (0.2, 1.77), (0.4, 1.8)]),
                ("lower_trapezius_upper", [(0.05, 2.02), (0.2, 2.0), (0.4, 1.98)]),
            ],
            ("thoracic_paraspinals", (0.045, 1.9)),
            ("middle_trapezius", (0.2, 1.675)),
            ("rhomboid_major", (0.2, 1.885)),
            ("lower_trapezius", (0.2, 2.11)),
        ),
        "mid_back": _layout(
            [
                ("paraspinal_lateral", [(0.1, 2.1), (0.1, 2.5), (0.1, 2.8)]),
                ("lower_trapezius_border", [(0.05, 2.68), (0.2, 2.45), (0.38, 2.15)]),
            ],
            ("thoracic_paraspinals", (0.05, 2.45)),
            ("lower_trapezius", (0.17, 2.3)),
            ("latissimus_dorsi", (0.45, 2.5)),
        ),
        "lower_back": _layout(
            [
                ("multifidus_lateral", [(0.08, 2.6), (0.08, 3.0), (0.08, 3.45)]),
                ("erector_spinae_lateral", [(0.27, 2.6), (0.27, 2.9), (0.3, 3.25)]),
                ("quadratus_lumborum_lateral", [(0.47, 2.6), (0.46, 2.9), (0.46, 3.2)]),
            ],
            ("lumbar_multifidus", (0.04, 3.0)),
            ("lumbar_erector_spinae", (0.175, 2.95)),
            ("quadratus_lumborum", (0.365, 2.9)),
            ("latissimus_dorsi", (0.56, 2.88)),
        ),
        "gluteal": _layout(
            [
                (
                    "gluteus_maximus_upper",
                    [(0.05, 3.25), (0.15, 3.38), (0.4, 3.45), (0.65, 3.6), (0.85, 3.7)],
                )
            ],
            ("gluteus_medius", (0.45, 3.29)),
            ("gluteus_maximus", (0.35, 3.8)),
        ),
        "thigh_posterior": _layout(
            [
                ("medial_hamstring", [(0.2, 3.95), (0.2, 4.5), (0.25, 4.9), (0.28, 5.2)]),
                ("adductor_lower", [(0.0, 4.62), (0.25, 4.62)]),
                ("biceps_femoris_medial", [(0.38, 3.9), (0.38, 4.5), (0.37, 5.2)]),
                ("vastus_lateralis", [(0.62, 3.8), (0.6, 4.4), (0.53, 5.0), (0.5, 5.2)]),
            ],
            ("adductor_magnus", (0.135, 4.35)),
            ("semimembranosus", (0.19, 4.85)),
            ("semitendinosus", (0.3, 4.4)),
            ("biceps_femoris", (0.49, 4.5)),
            ("vastus_lateralis", (0.67, 4.3)),
        ),
        "knee_posterior": _layout(
            [
                ("popliteal_crease", [(0.1, 5.36), (0.3, 5.36), (0.7, 5.36)]),
                ("hamstring_split", [(0.34, 5.0), (0.34, 5.2), (0.34, 5.45)]),
                ("gastrocnemius_medial_head", [(0.27, 5.3), (0.27, 5.5), (0.3, 5.8)]),
                ("gastrocnemius_lateral_head", [(0.45, 5.3), (0.45, 5.5), (0.44, 5.8)]),
            ],
            ("semimembranosus", (0.25, 5.23)),
            ("biceps_femoris", (0.45, 5.23)),
            ("popliteus", (0.36, 5.55)),
            ("gastrocnemius_medial", (0.215, 5.55)),
            ("gastrocnemius_lateral", (0.505, 5.55)),
        ),
        "calf": _layout(
            [
                ("fibularis_back", [(0.53, 5.6), (0.52, 6.0), (0.46, 6.5), (0.41, 7.05)]),
                ("fibularis_brevis_upper", [(0.4, 6.45), (0.7, 6.45)]),
                (
                    "gastrocnemius_lower",
                    [(0.1, 6.5), (0.25, 6.45), (0.37, 6.35), (0.5, 6.2), (0.6, 6.2)],
                ),
                ("gastrocnemius_heads", [(0.37, 5.6), (0.37, 6.0), (0.37, 6.45)]),
                ("flexor_digitorum_longus", [(0.22, 6.3), (0.3, 6.5), (0.31, 7.05)]),
            ],
            ("gastrocnemius_medial", (0.26, 6.05)),
            ("gastrocnemius_lateral", (0.445, 5.95)),
            ("soleus", (0.37, 6.65)),
            ("flexor_digitorum_longus", (0.262, 6.65)),
            ("fibularis_longus", (0.556, 6.05)),
            ("fibularis_brevis", (0.475, 6.68)),
        ),
        "heel": _layout(
            [
                ("abductor_hallucis_lateral", [(0.32, 6.9), (0.32, 7.2), (0.31, 7.6)]),
                ("abductor_digiti_minimi_medial", [(0.42, 6.9), (0.42, 7.2), (0.43, 7.6)]),
            ],
            ("abductor_hallucis", (0.285, 7.25)),
            ("flexor_digitorum_brevis", (0.37, 7.3)),
            ("abductor_digiti_minimi", (0.46, 7.3)),
        ),
        "upper_arm_posterior": _layout(
            [
                (
                    "deltoid_lower_border",
                    [_arm(0.2, -0.35), _arm(0.3, -0.05), _arm(0.42, 0.1), _arm(0.5, 0.35)],
                )
            ],
            ("deltoid", _arm(0.1, 0.05)),
            ("triceps_brachii", _arm(0.65, 0.0)),
        ),
        "forearm_posterior": _layout(
            [
                (
                    "brachioradialis_medial",
                    [
                        _forearm(0.0, 0.35),
                        _forearm(0.05, 0.11),
                        _forearm(0.55, 0.11),
                        _forearm(0.7, 0.35),
                    ],
                ),
                (
                    "extensor_carpi_radialis_longus_medial",
                    [
                        _forearm(-0.35, 0.03),
                        _forearm(0.0, 0.03),
                        _forearm(0.3, 0.03),
                        _forearm(0.33, 0.2),
                    ],
                ),
                (
                    "extensor_carpi_radialis_brevis_medial",
                    [
                        _forearm(0.25, 0.07),
                        _forearm(0.3, -0.05),
                        _forearm(0.6, -0.05),
                        _forearm(0.65, 0.3),
                    ],
                ),
            ],
            ("brachioradialis", _forearm(0.3, 0.15)),
            ("extensor_carpi_radialis_longus", _forearm(-0.03, 0.1)),
            ("extensor_carpi_radialis_brevis", _forearm(0.45, 0.03)),
            ("extensor_digitorum", _forearm(0.75, -0.02)),
        ),
        "hand_dorsum": _layout([], ("first_dorsal_interosseous", _hand_point(0.3, 0.08))),
    }


def _distance_to_segment(p: Pt, a: Pt, b: Pt) -> float:
    ab = _sub(b, a)
    length2 = ab[0] ** 2 + ab[1] ** 2
    t = (
        0.0
        if length2 == 0
        else max(0.0, min(1.0, ((p[0] - a[0]) * ab[0] + (p[1] - a[1]) * ab[1]) / length2))
    )
    return _dist(p, _add(a, _mul(ab, t)))


def _edge_distance(poly: Sequence[Pt], p: Pt) -> float:
    return min(_distance_to_segment(p, poly[i - 1], poly[i]) for i in range(len(poly)))


def cut_areas(view: str, spec: RegionSpec, region: Poly) -> list[tuple[AreaSpec, Poly]]:
    """Cut one region into its muscle areas; each piece must hold exactly one seed."""
    layouts = front_areas() if view == "front" else back_areas()
    layout = layouts[spec.stem]
    where = f"{view} region {spec.stem}"
    pieces: list[Poly] = [list(region)]
    for name, chord in layout.chords:
        cut(pieces, chord, f"{where}, area chord {name}")
    found: list[tuple[AreaSpec, Poly]] = []
    used: set[int] = set()
    muscles = [area.muscle for area in layout.areas]
    for area in layout.areas:
        if area.muscle not in spec.muscles or muscles.count(area.muscle) > 1:
            raise ValueError(f"{where}: area {area.muscle} is not one of its muscles, or twice")
        owners = [i for i, piece in enumerate(pieces) if contains(piece, area.seed)]
        if len(owners) != 1 or owners[0] in used:
            raise ValueError(f"{where}: the seed of {area.muscle} is in pieces {owners}")
        margin = _edge_distance(pieces[owners[0]], area.seed)
        if margin < SEED_MARGIN:
            raise ValueError(f"{where}: the seed of {area.muscle} is {margin:.3f} from its edge")
        used.add(owners[0])
        found.append((area, pieces[owners[0]]))
    if len(used) != len(pieces):
        leftovers = [_mul(_add(min(p), max(p)), 0.5) for i, p in enumerate(pieces) if i not in used]
        raise ValueError(f"{where}: area pieces without a muscle near {leftovers}")
    return found


# ---------------------------------------------------------------------------------------
# Lung zones and landmark lines


def lung_zone(fig: HalfFigure, view: str) -> Poly:
    """Where lung and pleura lie under the skin on one side (conservative)."""
    if view == "front":
        # Supraclavicular apex, clavicle, down to rib 6 (midclavicular) / rib 8 (axillary).
        top = [(0.06, 1.42), (0.1, 1.34), (0.2, 1.27), (0.33, 1.3), (0.46, 1.4), (0.58, 1.52)]
        upper_side = [(0.58, 1.52), (0.66, 1.68), (0.71, 1.86)]
        y0, y1 = 2.0, 2.66
        bottom = [(0.5, 2.56), (0.3, 2.47), (0.12, 2.4), (0.06, 2.36)]
    else:
        # Apex at the base of the neck, across the scapulae, down to the 12th rib.
        top = [(0.06, 1.22), (0.1, 1.2), (0.22, 1.2), (0.36, 1.27), (0.5, 1.38), (0.6, 1.5)]
        upper_side = [(0.6, 1.5), (0.68, 1.66), (0.72, 1.84)]
        y0, y1 = 2.0, 2.56
        bottom = [(0.45, 2.66), (0.2, 2.73), (0.06, 2.75)]
    side = [(torso_edge(fig, y) - 0.004, y) for y in _frange(y0, y1, 0.05)]
    pts = spline(top) + spline(upper_side)[1:] + side + spline([side[-1], *bottom])[1:]
    return pts


def _frange(a: float, b: float, step: float) -> list[float]:
    n = max(1, round((b - a) / step))
    return [a + (b - a) * i / n for i in range(n + 1)]


@dataclass(frozen=True)
class Detail:
    """A landmark line; ``mirror`` False for lines on the midline drawn once."""

    points: Poly
    mirror: bool = True


def details(fig: HalfFigure, view: str) -> list[Detail]:
    """Thin interior lines that make the figure readable."""
    out: list[Detail] = []
    knee = (0.365, 5.36)
    # Finger separations on the hand.
    for u, v in FINGER_VALLEYS:
        out.append(Detail([_hand_point(0.52, v), _hand_point(u - 0.01, v)]))
    if view == "front":
        out += [
            Detail(spline([(0.33, 0.8), (0.26, 0.9), (0.14, 0.975), (0.0, 1.0)])),  # jaw
            Detail(spline([(0.06, 1.44), (0.2, 1.47), (0.4, 1.48), (0.6, 1.44), (0.78, 1.39)])),
            Detail(spline([(0.04, 1.42), (0.14, 1.3), (0.2, 1.12)])),  # sternocleidomastoid
            Detail([(0.0, 1.5), (0.0, 2.3)], mirror=False),  # sternum
            Detail(spline([(0.04, 2.12), (0.25, 2.2), (0.48, 2.17), (0.66, 2.02)])),  # pectoral
            Detail(spline([(0.02, 2.32), (0.2, 2.5), (0.42, 2.64), (0.6, 2.72)])),  # ribs
            Detail(ellipse((0.0, 3.02), 0.025, 0.03, 16), mirror=False),  # navel
            Detail(spline([(0.58, 3.28), (0.4, 3.52), (0.2, 3.74), (0.06, 3.86)])),  # inguinal
            Detail(spline([(0.74, 1.88), (0.8, 1.7), (0.83, 1.5)])),  # deltopectoral groove
            Detail(spline(_elbow_crease())),
            Detail(ellipse(knee, 0.085, 0.105, 24)),  # patella
            Detail(spline([(0.45, 7.47), (0.445, 7.52)])),  # toes
            Detail(spline([(0.37, 7.47), (0.365, 7.525)])),
        ]
    else:
        scapula = [
            (0.28, 1.57),
            (0.29, 1.85),
            (0.33, 2.1),
            (0.37, 2.17),
            (0.44, 2.07),
            (0.58, 1.82),
            (0.66, 1.515),
        ]
        out += [
            Detail(spline([(0.0, 1.0), (0.0, 2.0), (0.0, 3.45)]), mirror=False),  # spine
            Detail(spline(scapula)),
            Detail(spline([(0.27, 1.64), (0.45, 1.6), (0.62, 1.54), (0.8, 1.44)])),  # spine
            Detail(spline([(0.0, 3.6), (0.0, 3.97)]), mirror=False),  # gluteal cleft
            Detail(spline([(0.02, 4.02), (0.2, 4.06), (0.4, 4.03), (0.55, 3.96)])),  # fold
            Detail(spline([(0.27, 5.42), (0.36, 5.44), (0.47, 5.42)])),  # popliteal crease
            Detail(spline(_olecranon())),
            Detail(spline([(0.34, 6.55), (0.345, 6.85), (0.35, 7.02)])),  # Achilles tendon
            Detail(spline([(0.4, 6.55), (0.385, 6.85), (0.375, 7.02)])),
        ]
    return out


def _elbow_crease() -> Poly:
    n = _lateral_normal(_sub(WRIST, SHOULDER))
    mid = _add(ELBOW, (0.0, 0.02))
    return [_add(mid, _mul(n, 0.09)), _add(mid, (0.0, 0.015)), _sub(mid, _mul(n, 0.09))]


def _olecranon() -> Poly:
    c = _add(ELBOW, (0.0, 0.04))
    return [(c[0] - 0.05, c[1] - 0.015), (c[0], c[1] + 0.01), (c[0] + 0.05, c[1] - 0.015)]


# ---------------------------------------------------------------------------------------
# Normalising and writing


@dataclass(frozen=True)
class Frame:
    """Maps half-figure coordinates onto the normalised box for one side."""

    scale: float
    width: float

    def point(self, p: Pt, sign: int) -> Pt:
        x = 0.5 + sign * p[0] * self.scale / self.width
        y = MARGIN + p[1] * self.scale
        return (round(x, DECIMALS), round(y, DECIMALS))

    def poly(self, pts: Iterable[Pt], sign: int) -> Poly:
        out: Poly = []
        for p in pts:
            q = self.point(p, sign)
            if not out or q != out[-1]:
                out.append(q)
        return out


def make_frame(fig: HalfFigure) -> Frame:
    """Scale so the figure fills the height; the width follows from the widest point."""
    height = max(p[1] for p in fig.contour)
    scale = (1 - 2 * MARGIN) / height
    lat = max(p[0] for p in fig.contour)
    width = round(2 * (lat * scale + MARGIN), 3)
    return Frame(scale, width)


def build(view: str) -> dict[str, object]:
    """The JSON document for one view."""
    fig = half_figure(view)
    frame = make_frame(half_figure("front"))
    # Patient's right is drawn at x < 0.5 on the front view, patient's left on the back.
    sides = {"right": -1, "left": 1} if view == "front" else {"left": -1, "right": 1}
    left_half = frame.poly(fig.contour, -1)
    right_half = frame.poly(reversed(fig.contour), 1)
    outline = left_half + right_half[1:-1]
    regions = []
    cut = [(spec, poly, cut_areas(view, spec, poly)) for spec, poly in cut_regions(fig, view)]
    for side, sign in sides.items():
        for spec, poly, areas in cut:
            regions.append(
                {
                    "code": f"{spec.stem}_{side}",
                    "label": f"{side.capitalize()} {spec.label}",
                    "side": side,
                    "polygon": frame.poly(poly, sign),
                    "muscles": list(spec.muscles),
                    "areas": [
                        {
                            "muscle": area.muscle,
                            "polygon": frame.poly(area_poly, sign),
                            "centre": list(frame.point(area.seed, sign)),
                        }
                        for area, area_poly in areas
                    ],
                }
            )
    lines: list[Poly] = []
    for detail in details(fig, view):
        lines.append(frame.poly(detail.points, -1))
        if detail.mirror:
            lines.append(frame.poly(detail.points, 1))
    zone = lung_zone(fig, view)
    return {
        "view": view,
        "source": "Generated by tools/make_body_chart.py; edit that script, not this file.",
        "aspect": frame.width,
        "patient_side_left_of_centre": "right" if view == "front" else "left",
        "outline": [outline],
        "details": lines,
        "regions": regions,
        "lung_zones": [frame.poly(zone, -1), frame.poly(zone, 1)],
    }


def _dump(doc: dict[str, object]) -> str:
    """JSON with one polygon or region per line, so diffs stay readable."""
    out = ["{"]
    items = list(doc.items())
    for n, (key, value) in enumerate(items):
        comma = "," if n < len(items) - 1 else ""
        if isinstance(value, list):
            out.append(f"  {json.dumps(key)}: [")
            for i, item in enumerate(value):
                c = "," if i < len(value) - 1 else ""
                out.append("    " + json.dumps(item, separators=(",", ":")) + c)
            out.append("  ]" + comma)
        else:
            out.append(f"  {json.dumps(key)}: {json.dumps(value)}{comma}")
    out.append("}")
    return "\n".join(out) + "\n"


def write(out_dir: Path) -> list[Path]:
    """Write ``front.json`` and ``back.json`` into ``out_dir``; return the paths written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for view in ("front", "back"):
        path = out_dir / f"{view}.json"
        # Bytes, not text: text mode would write \r\n line endings on Windows.
        path.write_bytes(_dump(build(view)).encode("utf-8"))
        written.append(path)
    return written


def main(argv: Sequence[str] | None = None) -> None:
    """Write both views into ``--out`` (default: the repository's resources/body_chart)."""
    parser = argparse.ArgumentParser(description="Write the body-chart geometry files.")
    parser.add_argument(
        "--out",
        type=Path,
        default=OUT_DIR,
        help=f"folder to write front.json and back.json into (default: {OUT_DIR})",
    )
    args = parser.parse_args(argv)
    for path in write(args.out):
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
