"""`pulsecheck-notifier`: run one notifier worker until SIGTERM."""

from __future__ import annotations

import asyncio
import logging

import faust
import uvloop

from pulsecheck.channels.base import ChannelTools
from pulsecheck.channels.senders import build_channels
from pulsecheck.checks.outbound import TargetGuard
from pulsecheck.checks.vetted_transport import vetted_client
from pulsecheck.notifier.app import build_app
from pulsecheck.notifier.metrics import NotifierMetrics
from pulsecheck.notifier.settings import NotifierSettings
from pulsecheck.shared.logs import configure_logging


def logging_config(level: str) -> dict[str, object]:
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "pulsecheck.shared.logs.JsonLineFormatter"}},
        "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "json"}},
        "root": {"handlers": ["stderr"], "level": level.upper()},
        "loggers": {"aiokafka": {"level": "WARNING"}},
    }


def main() -> None:
    # faust's per-record path is mostly event-loop work (tasks, futures, queues): uvloop does
    # it faster (bench/notifier: ~8,100 -> ~8,900 results/s)
    asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())
    settings = NotifierSettings()
    configure_logging("pulsecheck.notifier", settings.log_level)
    if not settings.recipient_hash_key.get_secret_value():
        logging.getLogger("pulsecheck.notifier").warning(
            "PULSECHECK_RECIPIENT_HASH_KEY is not set: recipient hashes can be reversed by guessing"
        )
    if not settings.sealing_private_keys.get_secret_value():
        logging.getLogger("pulsecheck.notifier").warning(
            "PULSECHECK_SEALING_PRIVATE_KEYS is not set: channels with sealed secrets are skipped"
        )
    # webhook and Slack posts: resolve once, vet, connect to the vetted address, no redirects
    http = vetted_client(TargetGuard(settings.allow_list()), settings.attempt_timeout_seconds)
    senders = build_channels(ChannelTools(http, settings.attempt_timeout_seconds))
    app = build_app(settings, senders, NotifierMetrics.create())
    # faust's worker installs SIGTERM/SIGINT handlers and stops the app cleanly
    worker = faust.Worker(
        app,
        loglevel=settings.log_level,
        logging_config=logging_config(settings.log_level),
        override_logging=False,
        quiet=True,
    )
    worker.execute_from_commandline()


if __name__ == "__main__":
    main()
