"""Make the checkout importable as ``ansible_collections.virt_uri.toolkit``.

``make`` creates ``collections/ansible_collections/virt_uri/toolkit`` as a symlink to the
checkout; this conftest does the same when pytest runs on its own, and points every
``ansible-playbook`` started by a test at it.
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COLLECTIONS = ROOT / "collections"
LINK = COLLECTIONS / "ansible_collections" / "virt_uri" / "toolkit"

if not LINK.exists():
    LINK.parent.mkdir(parents=True, exist_ok=True)
    LINK.symlink_to(Path("..", "..", ".."))
if str(COLLECTIONS) not in sys.path:
    sys.path.insert(0, str(COLLECTIONS))
os.environ.setdefault("ANSIBLE_COLLECTIONS_PATH", str(COLLECTIONS))
os.environ.setdefault("ANSIBLE_CONFIG", str(ROOT / "ansible.cfg"))
