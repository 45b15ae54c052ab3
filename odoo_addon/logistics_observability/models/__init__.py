from . import logistics_alert
from . import logistics_backend
from . import logistics_label_event
from . import logistics_snapshot
from . import res_config_settings
from . import stock_picking
from . import stock_picking_batch
