"""`reseal --to-kid K` on real Kafka and PostgreSQL: a channel and a monitor sealed to old kids
(and a monitor from before sealing) move to K, on the topics and in the rows, and the notifier
and the prober, given only K's private keys, still open them."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from pulsecheck.admin.reseal import KidUnknown, ResealSettings, reseal
from pulsecheck.channels.sealed import open_channel, seal_channel, sealed_kids
from pulsecheck.notifier.configuration import ConfigurationView
from pulsecheck.read_model.storage.accounts import create_account
from pulsecheck.read_model.storage.channel_writes import apply_channel_configured
from pulsecheck.read_model.storage.connection import connect
from pulsecheck.read_model.storage.monitor_writes import apply_monitor_spec
from pulsecheck.shared.events import ChannelConfigured, MonitorRegistered, MonitorUpdated, decode
from pulsecheck.shared.sealing import KeyPair, is_sealed, kid_of, new_key_pair, opener_from
from pulsecheck.shared.sealing import sealer_from as sealer_of
from pulsecheck.shared.sealing_headers import opened_headers, seal_headers
from pulsecheck.shared.topics import Topics
from pulsecheck.testing.kafka import read_to_end

pytestmark = [pytest.mark.postgres, pytest.mark.kafka]

HOOK = "https://hooks.example.com/in?token=hooktoken123"
TOKEN = "Bearer old-kid-token"


def _public(*pairs: KeyPair) -> str:
    return ",".join(f"{p.kid}:{p.public}" for p in pairs)


def _private(*pairs: KeyPair) -> str:
    return ",".join(f"{p.kid}:{p.private}" for p in pairs)


def _monitor(account: str, authorization: str) -> MonitorRegistered:
    return MonitorRegistered.model_validate(
        {
            "monitor_id": str(uuid.uuid4()),
            "account_id": account,
            "name": "site",
            "url": f"https://{uuid.uuid4().hex[:8]}.example.com/",
            "http": {"headers": {"Authorization": authorization, "Accept": "*/*"}},
        }
    )


async def test_reseal_moves_every_sealed_value_to_the_new_kid(
    admin_database: str, kafka_bootstrap: str, topics: Topics
) -> None:
    old_c, old_h, new_c, new_h = (new_key_pair(k) for k in ("c1", "h1", "k2", "k2"))
    old_channels, old_headers = sealer_of(_public(old_c)), sealer_of(_public(old_h))
    assert old_channels is not None and old_headers is not None
    now = datetime.now(UTC)
    # rows as the projector left them; -1: before any offset of these fresh topics
    version = -1
    async with await connect(admin_database, autocommit=True) as conn:
        account = str((await create_account(conn, "acme")).account_id)
        clear = ChannelConfigured(
            channel_id=str(uuid.uuid4()), account_id=account, kind="webhook", name="hook",
            target=HOOK, secret="s3cret-signing-key",
        )  # fmt: skip
        await apply_channel_configured(
            conn, seal_channel(clear, old_channels), uuid.uuid4(), version, now
        )
        sealed_monitor = _monitor(account, TOKEN)
        http = seal_headers(sealed_monitor.http, sealed_monitor.monitor_id, old_headers)
        sealed_monitor = sealed_monitor.model_copy(update={"http": http})
        # a monitor stored before sealing: its credential is sealed by the reseal too
        unsealed_monitor = _monitor(account, "Bearer from-before-sealing")
        for spec in (sealed_monitor, unsealed_monitor):
            await apply_monitor_spec(conn, spec, uuid.uuid4(), version, now)

    settings = ResealSettings(
        database_url=admin_database,
        kafka_bootstrap=kafka_bootstrap,
        topic_prefix=topics.prefix,
        sealing_public_keys=_public(new_c, old_c),
        header_sealing_public_keys=_public(new_h, old_h),
        sealing_private_keys=_private(new_c, old_c),
        header_sealing_private_keys=_private(new_h, old_h),
    )
    with pytest.raises(KidUnknown):
        await reseal(settings, "nope")
    done = await reseal(settings, "k2")
    assert (done.channels, done.monitors) == (1, 2)
    # a second run finds nothing left on another kid
    again = await reseal(settings, "k2")
    assert (again.channels, again.monitors) == (0, 0)

    # the notifier with only the new channel key opens the re-published channel
    channel_records = await read_to_end(kafka_bootstrap, topics.channels)
    view = ConfigurationView(topics.monitors, topics.channels, opener_from(_private(new_c)))
    for record in channel_records:
        view.apply(record.topic, record.key, record.value)
    opened = view.channels[clear.channel_id]
    assert (opened.target, opened.secret) == (HOOK, "s3cret-signing-key")

    # the prober with only the new header key opens both monitors' credentials
    prober = opener_from(_private(new_h))
    monitor_records = await read_to_end(kafka_bootstrap, topics.monitors)
    published = [decode(record.value or b"").data for record in monitor_records]
    specs = {spec.monitor_id: spec for spec in published if isinstance(spec, MonitorUpdated)}
    assert len(monitor_records) == 2
    for original, secret in ((sealed_monitor, TOKEN), (unsealed_monitor, "Bearer from-before")):
        headers = specs[original.monitor_id].http.headers
        assert kid_of(headers["Authorization"]) == "k2" and headers["Accept"] == "*/*"
        assert opened_headers(headers, original.monitor_id, prober)["Authorization"].startswith(
            secret
        )

    # and the rows say the same
    async with await connect(admin_database) as conn:
        row = await (
            await conn.execute("SELECT * FROM channels WHERE id = %s", (clear.channel_id,))
        ).fetchone()
        specs_in_rows = [
            r["spec"] for r in await (await conn.execute("SELECT spec FROM monitors")).fetchall()
        ]
    assert row is not None and all(is_sealed(row[f]) for f in ("target", "secret"))
    stored = ChannelConfigured.model_validate(
        {**{k: row[k] for k in ("kind", "name", "target", "secret")},
         "channel_id": clear.channel_id, "account_id": account}
    )  # fmt: skip
    assert sealed_kids(stored) == {"k2"}
    assert open_channel(stored, opener_from(_private(new_c))).secret == "s3cret-signing-key"
    assert {kid_of(spec["http"]["headers"]["Authorization"]) for spec in specs_in_rows} == {"k2"}
