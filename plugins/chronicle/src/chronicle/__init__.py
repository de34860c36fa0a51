"""Qantar's chronicle: event files in, a footnoted account out.

The core (`events`, `registry`, `citations`, `chronicle`, `render`) imports nothing from MkDocs;
`plugin` and `config` adapt it to MkDocs.
"""

from .chronicle import Chronicle, Settings, load_chronicle
from .problems import ChronicleError, Problem

__all__ = ["Chronicle", "ChronicleError", "Problem", "Settings", "load_chronicle"]
__version__ = "0.1.0"
