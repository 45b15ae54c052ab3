# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase, tagged

from .common import committed_label_events, delete_committed_label_events


@tagged("post_install", "-at_install")
class TestLabelEvents(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.belgium = env.ref("base.be")
        cls.customer = env["res.partner"].create({"name": "LO Test Customer", "country_id": env.ref("base.us").id})
        cls.product = env["product.product"].create({"name": "LO Test Crate", "type": "consu", "is_storable": True})
        cls.warehouse = env["stock.warehouse"].search([("company_id", "=", env.company.id)], limit=1)
        env["stock.quant"]._update_available_quantity(cls.product, cls.warehouse.lot_stock_id, 100)
        service = env["product.product"].create({"name": "LO Test Shipping", "type": "service"})
        cls.fixed_carrier = env["delivery.carrier"].create(
            {"name": "LO Fixed", "delivery_type": "fixed", "fixed_price": 5, "product_id": service.id, "integration_level": "rate_and_ship"}
        )
        # A rules carrier limited to Belgium: shipping to the US raises "There is no matching delivery rule."
        cls.rules_carrier = env["delivery.carrier"].create(
            {"name": "LO Rules BE", "delivery_type": "base_on_rule", "product_id": service.id, "integration_level": "rate_and_ship",
             "country_ids": [(6, 0, cls.belgium.ids)]}
        )

    def _ready_delivery(self, carrier):
        picking = self.env["stock.picking"].create({
            "picking_type_id": self.warehouse.out_type_id.id,
            "partner_id": self.customer.id,
            "carrier_id": carrier.id,
            "location_id": self.warehouse.lot_stock_id.id,
            "location_dest_id": self.env.ref("stock.stock_location_customers").id,
            "move_ids": [(0, 0, {"name": "crate", "product_id": self.product.id, "product_uom_qty": 1,
                                 "location_id": self.warehouse.lot_stock_id.id,
                                 "location_dest_id": self.env.ref("stock.stock_location_customers").id})],
        })
        picking.action_confirm()
        picking.action_assign()
        picking.move_ids.quantity = 1
        picking.move_ids.picked = True
        return picking

    def test_failure_is_recorded_despite_the_rollback(self):
        picking = self._ready_delivery(self.rules_carrier)
        self.addCleanup(delete_committed_label_events, self.registry, picking.id)
        with self.assertRaises(ValidationError):
            picking.button_validate()
        self.assertNotEqual(picking.state, "done", "the validation was rolled back")
        events = committed_label_events(self.registry, picking.id)
        self.assertEqual(len(events), 1)
        self.assertFalse(events[0]["success"])
        self.assertEqual(events[0]["carrier_name"], "LO Rules BE")
        self.assertEqual(events[0]["error_class"], "ValidationError")
        self.assertIn("no matching delivery rule", events[0]["error_message"])

    def test_success_is_recorded_only_after_commit(self):
        picking = self._ready_delivery(self.fixed_carrier)
        self.addCleanup(delete_committed_label_events, self.registry, picking.id)
        picking.button_validate()
        self.assertEqual(picking.state, "done")
        self.assertFalse(committed_label_events(self.registry, picking.id), "nothing before the commit")
        self.assertFalse(self.env["logistics.label.event"].search([("picking_ref", "=", picking.id)]))
        self.env.cr.postcommit.run()  # what the commit of the request does
        events = committed_label_events(self.registry, picking.id)
        self.assertEqual(len(events), 1)
        self.assertTrue(events[0]["success"])
        self.assertGreaterEqual(events[0]["duration"], 0.0)

    def test_batch_done_date_is_kept(self):
        picking = self._ready_delivery(self.fixed_carrier)
        batch = self.env["stock.picking.batch"].create({"picking_ids": [(6, 0, picking.ids)], "is_wave": True})
        batch.action_confirm()
        self.assertFalse(batch.date_done)
        picking.button_validate()
        self.env.cr.postcommit.clear()
        self.assertEqual(batch.state, "done")
        self.assertTrue(batch.date_done, "the moment the wave became done is recorded")
