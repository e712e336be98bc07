"""Run the worked examples of the docs guides through the real filters, via ansible-playbook.

In docs/docsite/rst/*.rst an example is a ``.. code-block:: yaml+jinja`` block holding a YAML
mapping: keys whose value contains ``{{`` are expressions, the other keys are variables.  The
next code block, a ``.. code-block:: yaml`` whose first line is ``# Result``, holds what each
expression gives (or ``error: <text the error message contains>``).  Every example runs as one
task of a generated playbook, so the filters are found by FQCN exactly as in a user's play.

  python hack/check_doc_examples.py [--update] FILE.rst...   (the venv's python: PyYAML, ansible-core)
--update rewrites the result blocks from what the filters returned (review the diff!).
"""
import json
import os
import re
import subprocess
import sys
import tempfile

import yaml

DIRECTIVE = re.compile(r"^(\s*)\.\. code-block::\s*(\S+)\s*$")


def code_blocks(lines):
    """Yield (lang, first_content_line, end_line, indent, content_lines) for each code block."""
    i = 0
    while i < len(lines):
        m = DIRECTIVE.match(lines[i])
        if not m:
            i += 1
            continue
        base = len(m.group(1))
        j = i + 1
        while j < len(lines) and re.match(r"^\s+:\w[\w-]*:", lines[j]):
            j += 1
        start = j
        body = []
        indent = None
        while j < len(lines):
            line = lines[j]
            if line.strip():
                ind = len(line) - len(line.lstrip())
                if ind <= base:
                    break
                indent = ind if indent is None else min(indent, ind)
            body.append(line)
            j += 1
        while body and not body[-1].strip():
            body.pop()
            j -= 1
        while body and not body[0].strip():
            body.pop(0)
            start += 1
        yield m.group(2), start, start + len(body), indent or base + 3, [b[indent:] if b.strip() else "" for b in body]
        i = max(j, i + 1)


def examples(path):
    lines = open(path, encoding="utf-8").read().split("\n")
    blocks = list(code_blocks(lines))
    found = []
    for k, (lang, start, end, indent, body) in enumerate(blocks):
        if lang != "yaml+jinja":
            continue
        spec = yaml.safe_load("\n".join(body))
        if not isinstance(spec, dict) or not any(isinstance(v, str) and "{{" in v for v in spec.values()):
            continue
        nxt = blocks[k + 1] if k + 1 < len(blocks) else None
        if not nxt or nxt[0] != "yaml" or not nxt[4] or not nxt[4][0].startswith("# Result"):
            sys.exit("%s:%d: example without a following '# Result' yaml block" % (path, start + 1))
        found.append({"file": path, "line": start + 1, "spec": spec, "result_block": nxt,
                      "expected": yaml.safe_load("\n".join(nxt[4])) or {}})
    return lines, found


def run(all_examples):
    tmp = tempfile.mkdtemp(prefix="doc-examples-")
    out = os.path.join(tmp, "results.json")
    tasks = []
    for n, ex in enumerate(all_examples):
        exprs = {k: v for k, v in ex["spec"].items() if isinstance(v, str) and "{{" in v}
        variables = {k: v for k, v in ex["spec"].items() if k not in exprs}
        tasks.append({"name": "example %d (%s:%d)" % (n, ex["file"], ex["line"]),
                      "ansible.builtin.set_fact": {"doc_example_%d" % n: exprs},
                      "vars": variables, "ignore_errors": True, "register": "doc_reg_%d" % n})
    collect = ", ".join("'%d': doc_example_%d | default({'error': doc_reg_%d.msg | default('failed')})" % (n, n, n)
                        for n in range(len(all_examples)))
    tasks.append({"name": "write results", "ansible.builtin.copy": {
        "dest": out, "content": "{{ {%s} | to_json }}" % collect, "mode": "0644"}})
    play = [{"name": "doc examples", "hosts": "localhost", "gather_facts": False, "tasks": tasks}]
    pb = os.path.join(tmp, "examples.yml")
    with open(pb, "w", encoding="utf-8") as handle:
        yaml.safe_dump(play, handle, sort_keys=False, width=1000)
    # The lookup examples must not depend on the caller's environment.
    env = {k: v for k, v in os.environ.items() if k not in ("LIBVIRT_DEFAULT_URI", "VIRSH_DEFAULT_CONNECT_URI")}
    proc = subprocess.run(["ansible-playbook", "-i", "localhost,", "-c", "local", pb],
                          capture_output=True, text=True, check=False, env=env)
    if not os.path.exists(out):
        sys.exit("ansible-playbook failed:\n" + proc.stdout + proc.stderr)
    with open(out, encoding="utf-8") as handle:
        results = json.load(handle)
    # Paths inside the checkout are shown relative to it, so results do not depend on where it is.
    here = os.getcwd().rstrip("/") + "/"
    results = json.loads(json.dumps(results).replace(json.dumps(here)[1:-1], ""))
    got = [results[str(n)] for n in range(len(all_examples))]
    for res in got:
        # Keep the filter's own message, not Ansible's wrapping of it ("Task failed: ...
        # The filter plugin 'X' failed: <message>").
        if set(res) == {"error"}:
            res["error"] = re.sub(r"(?s)^.*' failed: ", "", str(res["error"])).strip()
    return got


def matches(expected, got):
    if set(expected) == {"error"} and set(got) == {"error"}:
        return str(expected["error"]) in str(got["error"])
    return expected == got


class _ResultDumper(yaml.SafeDumper):
    """Multi-line strings (XML) as literal blocks, so they read as the text they are."""


def _str_representer(dumper, value):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_ResultDumper.add_representer(str, _str_representer)


def render_result(got):
    if set(got) == {"error"}:  # one line, double-quoted: reads like the message Ansible prints
        return ["# Result", "error: " + json.dumps(got["error"])]
    # width: never fold a long option string over several lines (it would read as a newline)
    text = yaml.dump(got, Dumper=_ResultDumper, sort_keys=False, width=100000, allow_unicode=True,
                     default_flow_style=False)
    return ["# Result"] + text.rstrip("\n").split("\n")


def main(argv):
    update = "--update" in argv
    files = [a for a in argv if a != "--update"]
    parsed = {f: examples(f) for f in files}
    all_examples = [ex for f in files for ex in parsed[f][1]]
    if not all_examples:
        sys.exit("no examples found in %s" % files)
    results = run(all_examples)
    bad = 0
    for ex, got in zip(all_examples, results):
        if matches(ex["expected"], got):
            continue
        if update:
            ex["new"] = render_result(got)
            continue
        bad += 1
        print("%s:%d: example gives\n%s\nbut the guide says\n%s\n" % (
            ex["file"], ex["line"], "\n".join(render_result(got)),
            "\n".join(ex["result_block"][4])))
    if update:
        for f in files:
            lines, found = parsed[f]
            for ex in sorted((e for e in found if "new" in e), key=lambda e: -e["result_block"][1]):
                _lang, start, end, indent, _body = ex["result_block"]
                lines[start:end] = [" " * indent + line if line else "" for line in ex["new"]]
            with open(f, "w", encoding="utf-8") as handle:
                handle.write("\n".join(lines))
        print("updated %d result block(s)" % sum("new" in e for e in all_examples))
        return 0
    print("%d example(s) checked, %d differ" % (len(all_examples), bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
