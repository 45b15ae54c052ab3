# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestSnapshot(TransactionCase):
    def test_batch_answers_like_the_single_calls(self):
        domain = [("picking_type_code", "=", "outgoing"), ("state", "=", "assigned")]
        calls = [
            {"model": "stock.picking", "method": "search_count", "kwargs": {"domain": domain}},
            {"model": "stock.picking", "method": "read_group",
             "kwargs": {"domain": domain, "fields": ["oldest:min(scheduled_date)"], "groupby": [], "lazy": False}},
            {"model": "sale.order", "method": "search_read", "kwargs": {"domain": [], "fields": ["write_date"], "limit": 3}},
        ]
        answers = self.env["logistics.snapshot"].batch(calls)
        Picking = self.env["stock.picking"]
        self.assertEqual(answers[0], {"result": Picking.search_count(domain)})
        self.assertEqual(answers[1], {"result": Picking.read_group(domain, ["oldest:min(scheduled_date)"], [], lazy=False)})
        self.assertEqual(answers[2], {"result": self.env["sale.order"].search_read([], ["write_date"], limit=3)})

    def test_caller_rights_apply_per_call(self):
        clerk = new_test_user(self.env, login="lo_clerk", groups="base.group_user,stock.group_stock_user")
        answers = self.env["logistics.snapshot"].with_user(clerk).batch([
            {"model": "ir.cron", "method": "search_count", "kwargs": {"domain": []}},
            {"model": "stock.picking", "method": "search_count", "kwargs": {"domain": []}},
        ])
        self.assertEqual(answers[0]["error"]["name"], "odoo.exceptions.AccessError")
        self.assertIn("result", answers[1], "one refused call does not fail the others")

    def test_only_read_methods(self):
        answers = self.env["logistics.snapshot"].batch([
            {"model": "res.partner", "method": "unlink", "kwargs": {}},
            {"model": "no.such.model", "method": "search_count", "kwargs": {"domain": []}},
        ])
        self.assertIn("not a read method", answers[0]["error"]["message"])
        self.assertEqual(answers[1]["error"]["message"], "Object no.such.model doesn't exist")
