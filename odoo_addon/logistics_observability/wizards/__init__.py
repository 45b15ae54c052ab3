from . import logistics_alert_silence_wizard
