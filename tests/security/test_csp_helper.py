from tests.security.csp import inline_code


def test_finds_what_the_policy_blocks():
    html = """
      <script>alert(1)</script><style>p{}</style><p style="color:red" onclick="x()">x</p>
      <a href="javascript:alert(1)">x</a>
    """
    problems = inline_code(html)
    assert len(problems) == 5


def test_external_files_and_json_data_are_fine():
    html = '<script src="/static/js/a.js"></script><script type="application/json">{"a": 1}</script>'
    assert inline_code(html) == []
