"""Height and weight at screening, with the BMI the lung-risk depth limits follow (issue 16)."""

from __future__ import annotations

from PySide6.QtWidgets import QDoubleSpinBox, QHBoxLayout, QLabel, QWidget

from dnt_desktop.services.safety import lung_limits


def _spin(name: str, suffix: str, low: float, high: float) -> QDoubleSpinBox:
    spin = QDoubleSpinBox()
    spin.setAccessibleName(name)
    spin.setDecimals(1)
    spin.setRange(0, high)  # 0 shows "not measured"
    spin.setSpecialValueText("not measured")
    spin.setSuffix(suffix)
    spin.setToolTip(f"{name}: {low:g} to {high:g}{suffix}; leave at 'not measured' if unknown")
    return spin


class BodyMeasures(QWidget):
    """Height (cm) and weight (kg), both optional, and the BMI with its band."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("body_measures")
        self.height_box = _spin(
            "Height", " cm", lung_limits.MIN_HEIGHT_CM, lung_limits.MAX_HEIGHT_CM
        )
        self.weight_box = _spin(
            "Weight", " kg", lung_limits.MIN_WEIGHT_KG, lung_limits.MAX_WEIGHT_KG
        )
        self.bmi = QLabel()
        self.bmi.setObjectName("bmi_label")
        self.bmi.setProperty("role", "hint")
        height_label = QLabel("Hei&ght")
        height_label.setBuddy(self.height_box)
        weight_label = QLabel("&Weight")
        weight_label.setBuddy(self.weight_box)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        for widget in (height_label, self.height_box, weight_label, self.weight_box, self.bmi):
            layout.addWidget(widget)
        layout.addStretch(1)
        self.height_box.valueChanged.connect(self._update)
        self.weight_box.valueChanged.connect(self._update)
        self._update()

    def height(self) -> float | None:
        """The height in cm, None when not measured."""
        return self.height_box.value() or None

    def weight(self) -> float | None:
        """The weight in kg, None when not measured."""
        return self.weight_box.value() or None

    def has_values(self) -> bool:
        """True when either was entered."""
        return self.height() is not None or self.weight() is not None

    def clear(self) -> None:
        """Back to 'not measured'."""
        self.height_box.setValue(0)
        self.weight_box.setValue(0)

    def _update(self) -> None:
        self.bmi.setText(bmi_text(self.height(), self.weight()))


def bmi_text(height_cm: float | None, weight_kg: float | None) -> str:
    """'BMI 19.0 (BMI 18.5 to under 25)' or why there is none, for the lung-risk limits."""
    value = lung_limits.bmi(height_cm, weight_kg)
    if value is None:
        return (
            "BMI not known: the most conservative lung-risk depth limits apply "
            "(height and weight for the BMI)"
        )
    return f"BMI {value:.1f} ({lung_limits.band_for(value).label})"


def measures_text(height_cm: float | None, weight_kg: float | None) -> str:
    """'Height 170 cm, weight 55 kg: BMI 19.0 (...)' or 'Height and weight not recorded'."""
    if lung_limits.bmi(height_cm, weight_kg) is None:
        return "Height and weight not recorded: the most conservative lung-risk limits apply."
    return f"Height {height_cm:g} cm, weight {weight_kg:g} kg: {bmi_text(height_cm, weight_kg)}"
