"""The campaign database: Managed Service for MySQL on a public host with TLS.

Why MySQL: pulumi-yandex 0.13 has no managed PostgreSQL resource; YDB
serverless needs no network but cannot run on our machines, so the runtime
could not be tested against it. Managed MySQL runs the store's SQLAlchemy
schema, tested here against MariaDB. Why a public host: functions in 0.13 have
no VPC connectivity, so they reach the cluster over the internet; Yandex
accepts connections to public MySQL hosts over TLS only, the user's password is
a generated secret sealed with KMS, and the security group opens 3306 only.
The trade-off (an internet-facing port) is in docs/yandex.md.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_yandex as yandex

from campaignctl.stack.yandex.naming import Naming

MYSQL_VERSION = "8.0"
MYSQL_PORT = 3306
DATABASE = "campaign"
USER = "campaignctl"
SMALL_HOST = "b2.medium"
LARGE_HOST = "s3-c2-m8"
LARGE_FROM_REQUESTS_PER_DAY = 200_000
"""Above this expected traffic the cluster gets a dedicated-core host."""
DISK_TYPE = "network-ssd"
DISK_GB = 20
SUBNET_CIDR = "10.80.0.0/24"


def host_class(requests_per_day: int | None) -> str:
    """Burstable 50% vCPU for ordinary campaigns, 2 dedicated vCPU for heavy ones."""
    return LARGE_HOST if (requests_per_day or 0) > LARGE_FROM_REQUESTS_PER_DAY else SMALL_HOST


@dataclass(frozen=True)
class DatabaseArgs:
    naming: Naming
    password: pulumi.Output[str]
    requests_per_day: int | None
    protect: bool = True
    """False only on the way to an explicit destroy of protected resources (deploy.destroy)."""


class Database(pulumi.ComponentResource):
    cluster: yandex.MdbMysqlCluster
    host: pulumi.Output[str]

    def __init__(self, name: str, args: DatabaseArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("campaignctl:yandex:Database", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        n = args.naming
        target = n.target
        network = yandex.VpcNetwork(
            "network",
            name=n.name("net"),
            description="The MySQL cluster's network (functions reach it by its public host)",
            labels=n.labels,
            folder_id=target.folder_id,
            opts=child,
        )
        subnet = yandex.VpcSubnet(
            "subnet",
            name=n.name(f"db-{target.zone}"),
            network_id=network.id,
            zone=target.zone,
            v4_cidr_blocks=[SUBNET_CIDR],
            labels=n.labels,
            folder_id=target.folder_id,
            opts=child,
        )
        group = yandex.VpcSecurityGroup(
            "db-access",
            name=n.name("db-access"),
            description="MySQL over TLS from Cloud Functions, which have no fixed addresses",
            network_id=network.id,
            ingresses=[
                yandex.VpcSecurityGroupIngressArgs(
                    protocol="TCP",
                    port=MYSQL_PORT,
                    v4_cidr_blocks=["0.0.0.0/0"],
                    description="MySQL (TLS enforced on public hosts)",
                )
            ],
            labels=n.labels,
            folder_id=target.folder_id,
            opts=child,
        )
        self.cluster = yandex.MdbMysqlCluster(
            "mysql",
            name=n.name("db"),
            description=f"Participants and registrations of {n.slug} (152-FZ: stored in Russia)",
            environment="PRODUCTION",
            version=MYSQL_VERSION,
            network_id=network.id,
            security_group_ids=[group.id],
            resources=yandex.MdbMysqlClusterResourcesArgs(
                resource_preset_id=host_class(args.requests_per_day),
                disk_type_id=DISK_TYPE,
                disk_size=DISK_GB,
            ),
            databases=[yandex.MdbMysqlClusterDatabaseArgs(name=DATABASE)],
            users=[
                yandex.MdbMysqlClusterUserArgs(
                    name=USER,
                    password=pulumi.Output.secret(args.password),
                    permissions=[
                        yandex.MdbMysqlClusterUserPermissionArgs(
                            database_name=DATABASE, roles=["ALL"]
                        )
                    ],
                )
            ],
            hosts=[
                yandex.MdbMysqlClusterHostArgs(
                    zone=target.zone, subnet_id=subnet.id, assign_public_ip=True
                )
            ],
            deletion_protection=args.protect,
            labels=n.labels,
            folder_id=target.folder_id,
            opts=pulumi.ResourceOptions(parent=self, protect=args.protect),
        )
        self.host = self.cluster.hosts.apply(lambda hosts: hosts[0].fqdn or "")
        self.register_outputs({"cluster_id": self.cluster.id, "host": self.host})
