# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Jinja tests by FQCN in a real play: each row's ``is`` answer equals whether the filter
it mirrors failed (the same table as tests/unit/plugins/test_jinja_tests.py)."""

import json

from ansible_collections.virt_uri.toolkit.tests.support.playbook import run_playbook
from ansible_collections.virt_uri.toolkit.tests.unit.plugins.jinja_test_table import ROWS

PLAY = """
- name: Jinja tests against their filters
  hosts: localhost
  gather_facts: false
  vars:
    rows: %(rows)s
  tasks:
    - name: The filter of each row
      ansible.builtin.debug:
        msg: >-
          {%% if item.test == 'libvirt_uri' %%}{{ item.value | virt_uri.toolkit.libvirt_uri_parse(**item.args) }}
          {%%- elif item.test == 'libvirt_alias_name' %%}{{ {item.value: 'test:///default'} | virt_uri.toolkit.libvirt_uri_aliases }}
          {%%- elif item.value is string %%}{{ item.value | virt_uri.toolkit.qemu_drive_parse(**item.args) }}
          {%%- else %%}{{ item.value | virt_uri.toolkit.qemu_drive_opts(**item.args) }}{%% endif %%}
      loop: "{{ rows }}"
      register: filtered
      ignore_errors: true
    - name: The test of each row
      ansible.builtin.set_fact:
        answers: >-
          {{ answers | default([]) + [
             (item.value is virt_uri.toolkit.qemu_drive(**item.args)) if item.test == 'qemu_drive' else
             (item.value is virt_uri.toolkit.libvirt_uri(**item.args)) if item.test == 'libvirt_uri' else
             (item.value is virt_uri.toolkit.libvirt_alias_name)] }}
      loop: "{{ rows }}"
    - name: Negated form
      ansible.builtin.set_fact:
        negated: >-
          {{ rows | selectattr('test', 'eq', 'libvirt_uri') | map(attribute='value')
             | select('string') | reject('virt_uri.toolkit.libvirt_uri') | list }}
    - name: Save
      ansible.builtin.copy:
        content: "{{ {'failed': filtered.results | map(attribute='failed') | list, 'answers': answers, 'negated': negated} | to_json }}"
        dest: "%(out)s"
        mode: "0600"
"""


def test_tests_answer_like_the_filters_in_a_play(tmp_path):
    rows = [{"test": t, "args": a, "value": v} for t, a, v, _answer in ROWS]
    out = tmp_path / "out.json"
    run_playbook(tmp_path, PLAY % {"rows": json.dumps(rows), "out": out})
    res = json.loads(out.read_text())
    assert len(res["answers"]) == len(ROWS)
    for row, failed, answer in zip(ROWS, res["failed"], res["answers"]):
        assert answer is (not failed) is row[3], row
    # reject('virt_uri.toolkit.libvirt_uri') keeps the invalid strings (default validate=true)
    # (the validate=false row's value is invalid under the default validation)
    assert res["negated"] == [v for t, a, v, ok in ROWS if t == "libvirt_uri" and
                              isinstance(v, str) and not (ok and a == {})]
