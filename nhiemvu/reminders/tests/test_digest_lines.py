"""The morning e-mail's task lines are drawn in Python (templatetags/digest.py): the same text and
HTML as the templates' loop they replace, escaping included."""

from __future__ import annotations

from types import SimpleNamespace

from django.template import Context, Template
from django.test import SimpleTestCase
from django.utils.safestring import mark_safe

from nhiemvu.reminders.templatetags.digest import digest_lines

# The loops as emails/reminders.txt and .html wrote them before (issue 28).
LOOPS = {
    "text": "{% for due, link in lines %}- {{ due.title }}\n  {{ link }}\n{% endfor %}",
    "html": '{% for due, link in lines %}<li><a href="{{ link }}">{{ due.title }}</a></li>'
    "{% endfor %}",
}


class DigestLinesTest(SimpleTestCase):
    lines = [
        (SimpleNamespace(title="Quá hạn: Báo cáo <b>tình hình</b> & đề xuất"), "https://x/nv/a/"),
        (SimpleNamespace(title='Sắp đến hạn: "Kế hoạch" của Sở\'s'), "https://x/nv/b/?a=1&b=2"),
        (SimpleNamespace(title=mark_safe("Đã an toàn &amp; giữ nguyên")), "https://x/"),
        (SimpleNamespace(title=""), "https://x/nv/c/"),
    ]

    def test_the_lines_are_what_the_loop_wrote(self) -> None:
        for kind, loop in LOOPS.items():
            expected = Template(loop).render(Context({"lines": self.lines}))
            self.assertEqual(digest_lines(self.lines, kind), expected, kind)
        html = digest_lines(self.lines, "html")
        self.assertIn("Báo cáo &lt;b&gt;tình hình&lt;/b&gt; &amp; đề xuất", html)
        self.assertIn('href="https://x/nv/b/?a=1&amp;b=2"', html)
        self.assertIn("Đã an toàn &amp; giữ nguyên", html)

    def test_no_lines_no_text(self) -> None:
        self.assertEqual(digest_lines([], "text"), "")
        self.assertEqual(digest_lines([], "html"), "")
