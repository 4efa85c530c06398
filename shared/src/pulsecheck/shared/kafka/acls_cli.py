"""`pulsecheck-kafka-acls users|apply|table`: the service principals and their ACLs.

`users` lists the SCRAM users `scripts/infra` creates when it formats a SASL broker (the admin
first); `apply` creates every ACL of `service_acls` as the admin user (ACL creation is
idempotent); `table` prints them for the README.
"""

from __future__ import annotations

import argparse
import asyncio
from typing import Final

from aiokafka.client import AIOKafkaClient
from aiokafka.protocol.admin import CreateAclsRequest

from pulsecheck.shared.kafka.acls import (
    ADMIN_USER,
    SERVICE_USERS,
    AclEntry,
    acl_table,
    service_acls,
)
from pulsecheck.shared.kafka.security import KafkaSecurity
from pulsecheck.shared.settings import CommonSettings

# the protocol's codes (org.apache.kafka.common.resource / acl enums)
_RESOURCE_TYPES: Final = {"TOPIC": 2, "GROUP": 3, "CLUSTER": 4, "TRANSACTIONAL_ID": 5}
_PATTERN_TYPES: Final = {"LITERAL": 3, "PREFIXED": 4}
_OPERATIONS: Final = {
    "READ": 3,
    "WRITE": 4,
    "CREATE": 5,
    "DESCRIBE": 8,
    "DESCRIBE_CONFIGS": 10,
    "ALTER_CONFIGS": 11,
    "IDEMPOTENT_WRITE": 12,
}
_ALLOW: Final = 3


def create_acls_request(acl: AclEntry) -> CreateAclsRequest:
    return CreateAclsRequest(
        resource_type=_RESOURCE_TYPES[acl.resource_type],
        resource_name=acl.name,
        resource_pattern_type_filter=_PATTERN_TYPES[acl.pattern],
        principal=acl.principal,
        host="*",
        operation=_OPERATIONS[acl.operation],
        permission_type=_ALLOW,
    )


async def apply_acls(bootstrap: str, security: KafkaSecurity, acls: tuple[AclEntry, ...]) -> None:
    """Create `acls` (the Admin API of aiokafka has no ACL call: the protocol request instead)."""
    client = AIOKafkaClient(
        bootstrap_servers=bootstrap, client_id="pulsecheck-kafka-acls", **security.client_kwargs()
    )
    await client.bootstrap()
    try:
        node = client.get_random_node()
        for acl in acls:
            response = await client.send(node, create_acls_request(acl))
            for error_code, message in response.creation_responses:
                if error_code:
                    raise RuntimeError(f"could not create {acl}: {message} ({error_code})")
    finally:
        await client.close()


def main() -> None:
    parser = argparse.ArgumentParser(prog="pulsecheck-kafka-acls", description=__doc__)
    parser.add_argument("command", choices=("users", "apply", "table"))
    command = parser.parse_args().command
    settings = CommonSettings()
    acls = service_acls(settings.topics())
    if command == "users":
        print("\n".join((ADMIN_USER, *SERVICE_USERS.values())))
    elif command == "table":
        print(acl_table(acls))
    else:
        asyncio.run(apply_acls(settings.kafka_bootstrap, settings.kafka_security(), acls))
        print(f"{len(acls)} ACLs in place")
