"""The interactive body chart: front and back figures on which needling points are placed."""

from .chart import BodyChartWidget
from .roles import MarkerRole

__all__ = ["BodyChartWidget", "MarkerRole"]
