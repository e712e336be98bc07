# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ``generation`` fixture: every live test that takes it runs once per oracle generation.

``host`` is the machine's QEMU 7.2 / libvirt 9.0, ``trixie`` QEMU 10.0 / libvirt 11.3 in the
cached Debian trixie root (tests/support/qemu_oracle.py; ``make trixie-root`` builds it). A
missing generation fails under CI=true and skips elsewhere; the tools' versions are checked
once per session, so a root holding other versions fails instead of testing the wrong thing.
"""

from ansible_collections.virt_uri.toolkit.tests.support.qemu_oracle import (  # noqa: F401  pylint: disable=unused-import
    generation_fixture,
)
