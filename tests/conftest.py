"""Where the collection is for pytest and for the ``ansible-playbook`` runs the tests start.

pytest-ansible's unit-inject mode (``--ansible-unit-inject-only``, pytest.ini) puts
ANSIBLE_COLLECTIONS_PATH on ``sys.path`` and installs ansible-core's collection finder, so tests
import ``ansible_collections.virt_uri.toolkit...`` (tests.support included). The plugin does that
in ``pytest_configure``, which runs after the conftest files of the directories named on the
command line are imported; those import tests.support, so this file calls the same pytest-ansible
function first. It also supplies the two variables when pytest runs outside ``make`` (which
exports them) and the ``collections/`` link they name (``make collection-link``); every
``ansible-playbook`` a test starts reads the same variables.
"""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COLLECTIONS = ROOT / "collections"
LINK = COLLECTIONS / "ansible_collections" / "virt_uri" / "toolkit"

if ROOT.parent.parent.name != "ansible_collections":  # not ansible-test's copy, which is in place
    if not LINK.exists():
        LINK.parent.mkdir(parents=True, exist_ok=True)
        LINK.symlink_to(Path("..", "..", ".."))
    os.environ.setdefault("ANSIBLE_COLLECTIONS_PATH", str(COLLECTIONS))
    from pytest_ansible.units import inject_only  # pylint: disable=import-outside-toplevel

    inject_only()
os.environ.setdefault("ANSIBLE_CONFIG", str(ROOT / "ansible.cfg"))
