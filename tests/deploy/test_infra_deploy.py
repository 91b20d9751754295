"""The Terraform's capacity, its connection budget, the private functions' reachability and the one-step deploy."""

from __future__ import annotations

import re
from typing import Any

import hcl2
import pytest

from shared.core.settings import PROJECT_ROOT

INFRA = PROJECT_ROOT / "infra"
SCHEDULED = ("purge_expired", "deliver_notifications", "sync_knowledge")


@pytest.fixture(scope="module")
def tf() -> dict[str, Any]:
    merged: dict[str, list[Any]] = {}
    for path in sorted(INFRA.glob("*.tf")):
        with path.open() as handle:
            for key, blocks in hcl2.load(handle).items():
                merged.setdefault(key, []).extend(blocks)
    resources: dict[str, dict[str, Any]] = {}
    for block in merged["resource"]:
        for kind, named in block.items():
            for name, body in named.items():
                resources.setdefault(kind.strip('"'), {})[name.strip('"')] = body
    return {
        "locals": {k: v for block in merged["locals"] for k, v in block.items()},
        "variables": {k.strip('"'): v for block in merged["variable"] for k, v in block.items()},
        "resources": resources,
    }


def _bare(value: Any) -> Any:
    """A literal as Terraform means it: '"ALLOW_ALL"' is ALLOW_ALL."""
    return value.strip('"') if isinstance(value, str) else value


def _default(tf: dict[str, Any], value: Any) -> Any:
    """`value`, or the default of the variable it names (`${var.x}`)."""
    if isinstance(value, str) and (named := re.fullmatch(r"\$\{var\.(\w+)\}", value)):
        return _bare(tf["variables"][named.group(1)]["default"])
    return _bare(value)


def _service(tf: dict[str, Any]) -> dict[str, Any]:
    return tf["resources"]["google_cloudfunctions2_function"]["fn"]["service_config"][0]


def test_by_default_post_message_holds_40_streams_at_once(tf):
    service = _service(tf)
    post = tf["locals"]["functions"]["post_message"]
    concurrency = _default(tf, service["max_instance_request_concurrency"])
    assert concurrency > 1 and float(_default(tf, service["available_cpu"])) >= 1
    assert _default(tf, post["instances"]) * concurrency >= 40
    assert tf["locals"]["environment"]["THREADS"] == "${tostring(var.concurrency)}"
    assert service["max_instance_count"] == "${each.value.instances}"


def test_by_default_every_pool_fits_the_database_tiers_connection_budget(tf):
    # The known customers' functions are deployed only with an identity configuration (off by default).
    assert not _default(tf, "${var.identity_signing_secret}") and _default(tf, "${var.identity_jwks_url}") == ""
    identity = {_bare(name) for name in tf["locals"]["identity_functions"]}
    functions = {name: fn for name, fn in tf["locals"]["functions"].items() if name not in identity}
    needed = sum(_default(tf, fn["instances"]) * _default(tf, fn["pool"]) for fn in functions.values())
    assert needed <= _default(tf, "${var.database_max_connections}") - 5
    assert tf["locals"]["environment"]["DB_MAX_OVERFLOW"] == '"0"'
    assert "DB_POOL_SIZE = tostring(each.value.pool)" in _service(tf)["environment_variables"]
    # post_message's pool is smaller than its concurrency: no connection is held while a model writes.
    post = functions["post_message"]
    assert _default(tf, post["pool"]) < _default(tf, "${var.concurrency}")


def test_apply_stops_when_the_pools_exceed_the_connection_budget(tf):
    needed = "${sum([for fn in values(local.deployed_functions) : fn.instances * fn.pool])}"
    assert tf["locals"]["connections_needed"] == needed
    checks = tf["resources"]["google_cloudfunctions2_function"]["fn"]["lifecycle"][0]["precondition"]
    conditions = [check["condition"] for check in checks]
    assert "${local.connections_needed <= var.database_max_connections - 5}" in conditions
    assert "${var.concurrency == 1 || tonumber(var.function_cpu) >= 1}" in conditions


def test_cloud_scheduler_can_reach_the_private_functions_and_only_it(tf):
    # Cloud Run admits Scheduler to an internal-only service at its run.app URL only; the jobs
    # call the cloudfunctions.net URL, so the private functions rely on IAM instead.
    assert _bare(_service(tf)["ingress_settings"]) == "ALLOW_ALL"
    invokers = tf["resources"]["google_cloud_run_v2_service_iam_member"]
    public = invokers["public"]
    assert "if fn.public" in public["for_each"] and _bare(public["member"]) == "allUsers"
    private = {name for name, fn in tf["locals"]["functions"].items() if not fn["public"]}
    scheduler_grants = {
        re.search(r'fn\["(\w+)"\]', grant["name"]).group(1)
        for grant in invokers.values()
        if grant["member"] == "${google_service_account.scheduler.member}"
    }
    assert scheduler_grants == private


@pytest.mark.parametrize("job", SCHEDULED)
def test_each_scheduled_job_calls_its_function_with_an_audience_the_function_accepts(tf, job):
    target = tf["resources"]["google_cloud_scheduler_job"][job]["http_target"][0]
    assert target["uri"] == f'${{google_cloudfunctions2_function.fn["{job}"].url}}'
    audience = target["oidc_token"][0]["audience"]
    assert audience.strip("${}") in tf["locals"]["environment"]["SCHEDULER_AUDIENCE"]
    assert tf["locals"][audience.strip("${}").removeprefix("local.")].endswith(f'cloudfunctions.net/{job}"')


def test_every_apply_that_changes_the_archive_prepares_the_database_from_it(tf):
    prepare = tf["resources"]["terraform_data"]["prepare"]
    assert "${google_storage_bucket_object.source.name}" in prepare["triggers_replace"]
    command = prepare["provisioner"][0]['"local-exec"']["command"]
    assert 'google_cloudfunctions2_function.fn["prepare_deployment"].url' in command
    assert "--impersonate-service-account=${google_service_account.scheduler.email}" in command
    assert "--fail-with-body" in command
    assert "${google_cloudfunctions2_function.fn}" in prepare["depends_on"]


def test_the_preparation_runs_as_an_identity_that_may_migrate_and_grants_the_functions_user(tf):
    user = tf["resources"]["google_sql_user"]["prepare"]
    assert _bare(user["type"]) == "CLOUD_IAM_SERVICE_ACCOUNT"
    assert [_bare(role) for role in user["database_roles"]] == ["cloudsqlsuperuser"]
    assert tf["locals"]["prepare_environment"] == {
        "DB_USER": "${google_sql_user.prepare.name}",
        "DB_GRANT_TO": "${google_sql_user.functions.name}",
    }
    service = _service(tf)
    assert 'each.key == "prepare_deployment" ? google_service_account.prepare.email' in service["service_account_email"]
    assert 'if each.key == "prepare_deployment"' in service["environment_variables"]
    assert "local.prepare_audience" in tf["locals"]["environment"]["SCHEDULER_AUDIENCE"]


def test_the_knowledge_resync_runs_hourly_for_as_long_as_the_scheduler_waits(tf):
    job = tf["resources"]["google_cloud_scheduler_job"]["sync_knowledge"]
    assert (_bare(job["schedule"]), _bare(job["attempt_deadline"])) == ("0 * * * *", "1800s")
    assert tf["locals"]["long_timeouts"]["sync_knowledge"] == 1800  # the scheduler's longest wait for HTTP
    assert _service(tf)["timeout_seconds"] == "${lookup(local.long_timeouts, each.key, var.function_timeout_seconds)}"
    environment = tf["locals"]["environment"]
    assert environment["KNOWLEDGE_SOURCES"] == "${var.knowledge_sources}"
    assert environment["KNOWLEDGE_SYNC_HOURS"] == "${tostring(var.knowledge_sync_hours)}"
    assert (_default(tf, "${var.knowledge_sources}"), _default(tf, "${var.knowledge_sync_hours}")) == ("", 24)
