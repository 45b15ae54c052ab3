from . import test_label_events
from . import test_access
from . import test_assets
from . import test_snapshot
