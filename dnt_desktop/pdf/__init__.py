"""PDF documents built with reportlab Platypus (no Qt here).

Importing this package first closes reportlab's doors to remote resources (see
:mod:`dnt_desktop.pdf.fonts`); user text reaches Platypus only escaped (:mod:`.markup`).
"""

from .aftercare import AftercarePdf, build_aftercare, render_aftercare
from .files import write_atomically

__all__ = ["AftercarePdf", "build_aftercare", "render_aftercare", "write_atomically"]
