"""Every ComponentResource's type token, pinned: a token is part of the URN of the component and of every
child, so changing one (moving a file into components/aws/, renaming a module) makes the next `pulumi up`
replace the database, the caches and the buckets under it. Moves must keep these strings (or add aliases)."""

from __future__ import annotations

import ast
from pathlib import Path

from offline.stack_files import REPO_ROOT

COMPONENTS = REPO_ROOT / "components"

# Class name -> type token, as deployed stacks know them.
PINNED: dict[str, str] = {
    "AlarmSet": "launchpad:alarms:AlarmSet",
    "AppImage": "launchpad:image:AppImage",
    "AppSecrets": "launchpad:secrets:AppSecrets",
    "ArtifactRegistry": "launchpad:artifact_registry:ArtifactRegistry",
    "Budget": "launchpad:budget:Budget",
    "Cache": "launchpad:cache:Cache",
    "Cdn": "launchpad:cdn:Cdn",
    "CloudRunAlerts": "launchpad:cloud_run_alerts:CloudRunAlerts",
    "CloudRunJob": "launchpad:cloud_run_job:CloudRunJob",
    "CloudRunService": "launchpad:cloud_run_service:CloudRunService",
    "CloudRunWorker": "launchpad:cloud_run_worker:CloudRunWorker",
    "CloudSqlDatabase": "launchpad:cloud_sql:CloudSqlDatabase",
    "CostAnomalyMonitor": "launchpad:cost_anomaly:CostAnomalyMonitor",
    "Dashboard": "launchpad:dashboard:Dashboard",
    "Database": "launchpad:database:Database",
    "EcrRepository": "launchpad:ecr_repository:EcrRepository",
    "EcsCluster": "launchpad:ecs_cluster:EcsCluster",
    "Encryption": "launchpad:encryption:Encryption",
    "FargateService": "launchpad:fargate_service:FargateService",
    "GcpBudget": "launchpad:gcp_budget:GcpBudget",
    "GcpDataAlerts": "launchpad:gcp_data_alerts:GcpDataAlerts",
    "GcpKey": "launchpad:gcp_kms:GcpKey",
    "GcpNetwork": "launchpad:gcp_network:GcpNetwork",
    "GcpSecrets": "launchpad:gcp_secrets:GcpSecrets",
    "GcsBucket": "launchpad:gcs_bucket:GcsBucket",
    "ImageHistory": "launchpad:image:ImageHistory",
    "LoadBalancer": "launchpad:load_balancer:LoadBalancer",
    "LocalStack": "launchpad:local_stack:LocalStack",
    "MemorystoreCache": "launchpad:memorystore:MemorystoreCache",
    "Network": "launchpad:network:Network",
    "ProjectApis": "launchpad:gcp_apis:ProjectApis",
    "ScheduledRun": "launchpad:scheduled_run:ScheduledRun",
    "SecureBucket": "launchpad:bucket:SecureBucket",
    "ServiceAccount": "launchpad:service_account:ServiceAccount",
    "ServiceScaling": "launchpad:service_scaling:ServiceScaling",
    "VendedLogs": "launchpad:vended_logs:VendedLogs",
    "Waf": "launchpad:waf:Waf",
}


def _tokens(source: str, path: Path) -> dict[str, str]:
    """Class name -> the literal type token its constructor passes to `super().__init__`."""
    found: dict[str, str] = {}
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.ClassDef):
            continue
        bases = {ast.unparse(base) for base in node.bases}
        if "pulumi.ComponentResource" not in bases:
            continue
        calls = [
            call
            for call in ast.walk(node)
            if isinstance(call, ast.Call) and ast.unparse(call.func) == "super().__init__"
        ]
        assert len(calls) == 1, f"{path}: {node.name} must call super().__init__ once"
        token = calls[0].args[0]
        assert isinstance(token, ast.Constant), f"{path}: {node.name}'s type token must be a literal"
        found[node.name] = str(token.value)
    return found


def components_tokens() -> dict[str, str]:
    tokens: dict[str, str] = {}
    for path in sorted(COMPONENTS.rglob("*.py")):  # rglob: the tokens must survive a move into subfolders
        for name, token in _tokens(path.read_text(), path).items():
            assert name not in tokens, f"two components are called {name}"
            tokens[name] = token
    return tokens


def test_every_pinned_type_token_is_still_what_its_component_registers() -> None:
    found = components_tokens()
    changed = {name: (token, found.get(name)) for name, token in PINNED.items() if found.get(name) != token}
    assert not changed, f"type tokens changed or gone (pinned, now): {changed}"


def test_every_component_is_pinned_and_tokens_are_unique() -> None:
    found = components_tokens()
    assert set(found) == set(PINNED), f"pin the new components: {set(found) - set(PINNED)}"
    assert len(set(found.values())) == len(found)


def test_the_reader_finds_a_changed_token() -> None:
    source = (
        "import pulumi\n"
        "class Database(pulumi.ComponentResource):\n"
        "    def __init__(self):\n"
        "        super().__init__('launchpad:aws.database:Database', 'n', None, None)\n"
    )
    assert _tokens(source, Path("moved.py")) == {"Database": "launchpad:aws.database:Database"}
