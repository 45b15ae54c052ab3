# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json
import re
from pathlib import Path

from odoo.tests import TransactionCase, tagged

from ..models.format import format_duration, format_value

#: What the backend's formatter (server/sli/format.ts) says; its unit test checks the same file.
CASES = json.loads((Path(__file__).parent / "format_cases.json").read_text())["cases"]


def _spaces(text):
    # CLDR puts narrow or plain no-break spaces in some languages; Babel and Intl do not always pick the same one.
    return re.sub(r"[\s\u00a0\u202f]+", " ", text)


@tagged("post_install", "-at_install")
class TestFormat(TransactionCase):
    def test_values_read_as_the_backend_writes_them(self):
        self.assertGreater(len(CASES), 60)
        for case in CASES:
            with self.subTest(**case):
                self.assertEqual(_spaces(format_value(case["value"], case["unit"], case["lang"])), _spaces(case["text"]))

    def test_durations_in_the_readers_language(self):
        self.assertEqual(format_duration(1555920, "en_US"), "18 days")
        self.assertEqual(_spaces(format_duration(1555920, "fr_FR")), "18 j")
        self.assertEqual(format_value(None, "seconds"), "—")
