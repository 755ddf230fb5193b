"""When the served nightly runs by default (shared by `xxgk serve` and the deployment, without
importing Prefect for the command line's help)."""

DEFAULT_CRON = "30 2 * * *"  # 02:30, when government sites are quiet
DEFAULT_TIMEZONE = "Asia/Shanghai"  # the offices' own clock, whatever the server's
