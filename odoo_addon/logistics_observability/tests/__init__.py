from . import test_label_events
from . import test_access
from . import test_assets
from . import test_snapshot
from . import test_alert_mail
from . import test_settings_sync
from . import test_silence
from . import test_tenant_pinning
